package io.udpix.testkit;

/** Live counters of a {@link Simulator} as a whole (per-link counters are in {@link LinkStats}). */
public final class SimulatorStats {
    long sentDatagrams;
    long unroutable;
    long undeliverable;
    long deliveredDatagrams;
    long events;
    long stalls;
    long stallDropped;

    SimulatorStats() {
    }

    /** Datagrams endpoints handed to the simulator. */
    public long sentDatagrams() {
        return sentDatagrams;
    }

    /** Datagrams dropped because no route leads from their source to their destination. */
    public long unroutable() {
        return unroutable;
    }

    /** Copies that arrived at an address with no endpoint attached (detached, or never attached). */
    public long undeliverable() {
        return undeliverable;
    }

    /** Copies handed to an endpoint's handleDatagram. */
    public long deliveredDatagrams() {
        return deliveredDatagrams;
    }

    /** Endpoint pauses begun (Simulator.stall; a pause inside another is not counted). */
    public long stalls() {
        return stalls;
    }

    /** Datagrams dropped because a paused endpoint's socket buffer was full. */
    public long stallDropped() {
        return stallDropped;
    }

    /** Events processed since the simulator was created. */
    public long events() {
        return events;
    }

    @Override
    public String toString() {
        return "SimulatorStats{sent=" + sentDatagrams + ", delivered=" + deliveredDatagrams + ", unroutable="
                + unroutable + ", undeliverable=" + undeliverable + ", stalls=" + stalls + ", stallDropped="
                + stallDropped + ", events=" + events + "}";
    }
}
