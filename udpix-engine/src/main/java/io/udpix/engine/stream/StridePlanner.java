package io.udpix.engine.stream;

/**
 * Chooses a frame's parity stride G (0: no parity) when it starts to go; the sender asks once per frame.
 * The connection plugs in {@code FecPlanner}; tests plug in fixed strides.
 */
@FunctionalInterface
public interface StridePlanner {
    /**
     * @param mode           the stream's FEC mode
     * @param lossRate       recent packet loss rate of the connection, 0..1
     * @param srttNs         smoothed RTT (0 before any sample)
     * @param budgetNs       the stream's effective latency budget
     * @param fragmentCount  fragments of the frame
     * @param serialisationNs time to put the frame on the wire at the current pacing rate
     * @return the stride G, 0..fragmentCount
     */
    int stride(FecMode mode, double lossRate, long srttNs, long budgetNs, int fragmentCount, long serialisationNs);

    /**
     * Interim planner until {@code FecPlanner} is in: PERCENT gives ceil(count * percent / 100) groups; AUTO none
     * below 0.1% loss, else about three times the loss rate, at most half the fragments; OFF none.
     */
    StridePlanner SIMPLE = (mode, lossRate, srttNs, budgetNs, fragmentCount, serialisationNs) -> switch (mode.kind()) {
        case OFF -> 0;
        case PERCENT -> (int) Math.min(fragmentCount, (fragmentCount * (long) mode.percent() + 99) / 100);
        case AUTO -> lossRate < 0.001 ? 0
                : (int) Math.min((fragmentCount + 1) / 2, Math.max(1, Math.ceil(fragmentCount * 3 * lossRate)));
    };

    /** No parity ever. */
    StridePlanner NONE = (mode, lossRate, srttNs, budgetNs, fragmentCount, serialisationNs) -> 0;
}
