package io.udpix.testkit;

/**
 * Why a {@link Simulator} run stopped, and how much virtual time and how many events it used.
 *
 * @param reason why the run stopped
 * @param startNs virtual time when the run began
 * @param endNs virtual time when it stopped
 * @param events events processed by this run
 */
public record RunResult(Reason reason, long startNs, long endNs, long events) {

    /** Why a run stopped. */
    public enum Reason {
        /** The done condition became true. */
        DONE,
        /** The virtual time budget ran out. */
        TIME_LIMIT,
        /** Nothing is scheduled and no endpoint has a deadline: nothing can ever happen again (a hang). */
        QUIESCENT,
        /** Too many events in one run: an endpoint is probably livelocked (a deadline that never advances). */
        EVENT_LIMIT
    }

    /** Virtual time the run used. */
    public long elapsedNs() {
        return endNs - startNs;
    }

    /** Whether the done condition was met. */
    public boolean isDone() {
        return reason == Reason.DONE;
    }

    @Override
    public String toString() {
        return reason + " after " + Durations.format(elapsedNs()) + " of virtual time (t=" + endNs + " ns, "
                + events + " events)";
    }
}
