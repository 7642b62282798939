package io.udpix.engine.stream;

/**
 * Chooses a frame's parity stride G (0: no parity) when it starts to go; the sender asks once per frame.
 * The connection plugs in {@link FecPlanner#stride}; tests plug in fixed strides.
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

    /** No parity ever. */
    StridePlanner NONE = (mode, lossRate, srttNs, budgetNs, fragmentCount, serialisationNs) -> 0;
}
