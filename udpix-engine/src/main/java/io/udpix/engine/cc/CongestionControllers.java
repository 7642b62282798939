package io.udpix.engine.cc;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/** The congestion controllers udpix ships, by factory and by name; BBR is the default. */
public final class CongestionControllers {
    /** Name of the default controller. */
    public static final String DEFAULT_NAME = "bbr";
    /** Every name {@link #byName} accepts. */
    public static final List<String> NAMES = List.of("bbr", "newreno");
    /** Seed of {@link #bbr()}: fixed, so that runs (and the simulator) are reproducible. */
    private static final long DEFAULT_SEED = 0x5544_5049_5842_4252L;

    private CongestionControllers() {
    }

    /** BBR (the default), with reproducible per-connection randomness. */
    public static CongestionControllerFactory bbr() {
        return bbr(DEFAULT_SEED);
    }

    /**
     * BBR whose per-connection random choices derive from {@code seed} and the order in which connections are
     * created: the same seed and order give the same behaviour.
     */
    public static CongestionControllerFactory bbr(long seed) {
        AtomicLong connections = new AtomicLong();
        return (maxDatagramBytes, nowNs) ->
                new Bbr(maxDatagramBytes, nowNs, mix(seed ^ mix(connections.incrementAndGet())));
    }

    /**
     * SplitMix64's finaliser. Connection seeds must not be offsets of one another along Bbr's own SplitMix
     * sequence, or two connections would draw the same gain-cycle lengths one draw apart and could lock step.
     */
    private static long mix(long value) {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** NewReno (RFC 9002 Appendix B), for comparison. */
    public static CongestionControllerFactory newReno() {
        return NewReno::new;
    }

    /**
     * The factory named {@code name} ("bbr" or "newreno", any case).
     *
     * @throws IllegalArgumentException for any other name; the message lists the choices
     */
    public static CongestionControllerFactory byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (key) {
            case "bbr":
                return bbr();
            case "newreno":
                return newReno();
            default:
                throw new IllegalArgumentException("unknown congestion controller \"" + name
                        + "\"; choose one of: " + String.join(", ", NAMES));
        }
    }
}
