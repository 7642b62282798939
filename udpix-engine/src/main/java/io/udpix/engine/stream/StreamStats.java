package io.udpix.engine.stream;

/**
 * An immutable snapshot of one stream's figures, for either direction. Sender-only figures are 0 on the
 * receiver and the other way round; "frames" counts frames sent (sender) or frames that reached the receiver in
 * any state (receiver: onTime + late + lost).
 *
 * @param connectionId           local connection id
 * @param streamId               stream id
 * @param incoming               true on the receiver
 * @param codec                  frame codec
 * @param latencyBudgetNs        the effective budget
 * @param frames                 sender: frames that started to go; receiver: frames accounted (on time, late or lost)
 * @param onTime                 receiver: complete frames delivered before their deadline
 * @param late                   receiver: frames of which data arrived but that were not complete by their deadline
 *                               (never delivered)
 * @param lost                   receiver: frames of which nothing usable arrived (abandoned by the sender, or no
 *                               fragment came)
 * @param droppedAtSource        sender: frames replaced before they started to go (latest wins)
 * @param abandoned              sender: frames given up because a repair could no longer arrive in time
 * @param fecRecovered           receiver: frames completed with the help of parity
 * @param retransmittedFragments sender: fragments sent again; receiver: retransmitted fragments received
 * @param dataBytes              sender: frame bytes sent first time; receiver: frame bytes delivered
 * @param parityBytes            sender: parity bytes sent; receiver: parity bytes received
 * @param retransmittedBytes     sender: frame bytes sent again
 * @param latencyP50Ns           receiver: median capture-to-delivery latency of delivered frames (0 none yet)
 * @param latencyP99Ns           receiver: 99th percentile of the same
 * @param latencyMaxNs           receiver: largest of the same
 * @param availableRateBytesPerSecond sender: what the connection's congestion controller lets the stream send now
 * @param queuedFrames           sender: frames waiting or in flight
 * @param fecPercent             sender: parity share planned for the latest frame (0 none)
 * @param expired                sender: frames it stopped tracking with some fragment never acknowledged, without
 *                               abandoning them (their deadline plus one RTT passed, a newer frame needed the slot,
 *                               or a newer frame's ABANDON covered them): the receiver judges them; most arrived
 *                               whole and only an acknowledgement was lost
 */
public record StreamStats(long connectionId, int streamId, boolean incoming, StreamCodec codec, long latencyBudgetNs,
        long frames, long onTime, long late, long lost, long droppedAtSource, long abandoned, long fecRecovered,
        long retransmittedFragments, long dataBytes, long parityBytes, long retransmittedBytes, long latencyP50Ns,
        long latencyP99Ns, long latencyMaxNs, long availableRateBytesPerSecond, int queuedFrames, int fecPercent,
        long expired) {

    /** The figures without {@code expired} (0): the record's shape before that component was added. */
    public StreamStats(long connectionId, int streamId, boolean incoming, StreamCodec codec, long latencyBudgetNs,
            long frames, long onTime, long late, long lost, long droppedAtSource, long abandoned, long fecRecovered,
            long retransmittedFragments, long dataBytes, long parityBytes, long retransmittedBytes, long latencyP50Ns,
            long latencyP99Ns, long latencyMaxNs, long availableRateBytesPerSecond, int queuedFrames, int fecPercent) {
        this(connectionId, streamId, incoming, codec, latencyBudgetNs, frames, onTime, late, lost, droppedAtSource,
                abandoned, fecRecovered, retransmittedFragments, dataBytes, parityBytes, retransmittedBytes,
                latencyP50Ns, latencyP99Ns, latencyMaxNs, availableRateBytesPerSecond, queuedFrames, fecPercent, 0);
    }

    /** Parity and repair bytes over first-time data bytes, in percent (the overhead FEC and repair cost). */
    public double overheadPercent() {
        return dataBytes == 0 ? 0 : 100.0 * (parityBytes + retransmittedBytes) / dataBytes;
    }
}
