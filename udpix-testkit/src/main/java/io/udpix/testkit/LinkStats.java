package io.udpix.testkit;

/**
 * Live counters of one {@link Link}. Fates (drops, duplication, corruption, reordering) are counted when a
 * datagram enters the link; deliveries and queueing delay when a copy arrives. Bytes are UDP payload bytes.
 */
public final class LinkStats {
    long offeredDatagrams;
    long offeredBytes;
    long deliveredDatagrams;
    long deliveredBytes;
    long droppedLoss;
    long droppedBurst;
    long droppedMtu;
    long droppedQueue;
    long droppedBlackout;
    long duplicated;
    long corrupted;
    long reordered;
    long maxQueueBytes;
    private final DelayHistogram queueDelay = new DelayHistogram();

    LinkStats() {
    }

    /** Datagrams handed to the link. */
    public long offeredDatagrams() {
        return offeredDatagrams;
    }

    /** Payload bytes handed to the link. */
    public long offeredBytes() {
        return offeredBytes;
    }

    /** Copies that arrived at the far end (duplicates included). */
    public long deliveredDatagrams() {
        return deliveredDatagrams;
    }

    /** Payload bytes that arrived (duplicates included). */
    public long deliveredBytes() {
        return deliveredBytes;
    }

    /** Dropped by iid loss. */
    public long droppedLoss() {
        return droppedLoss;
    }

    /** Dropped by Gilbert-Elliott burst loss. */
    public long droppedBurst() {
        return droppedBurst;
    }

    /** Dropped because the payload exceeded mtu - 28. */
    public long droppedMtu() {
        return droppedMtu;
    }

    /** Dropped because the drop-tail queue was full. */
    public long droppedQueue() {
        return droppedQueue;
    }

    /** Dropped because a blackout covered the entry time. */
    public long droppedBlackout() {
        return droppedBlackout;
    }

    /** All drops, whatever the reason. */
    public long droppedDatagrams() {
        return droppedLoss + droppedBurst + droppedMtu + droppedQueue + droppedBlackout;
    }

    /** Extra copies created. */
    public long duplicated() {
        return duplicated;
    }

    /** Copies whose bits were flipped. */
    public long corrupted() {
        return corrupted;
    }

    /** Datagrams given the reorder extra delay. */
    public long reordered() {
        return reordered;
    }

    /** Copies accepted but not yet arrived. */
    public long inFlightDatagrams() {
        return offeredDatagrams - droppedDatagrams() + duplicated - deliveredDatagrams;
    }

    /**
     * Time each delivered datagram (not its duplicate) waited in the queue before its serialization started.
     */
    public DelayHistogram queueDelay() {
        return queueDelay;
    }

    /** Shorthand for {@code queueDelay().percentile(quantile)}. */
    public long queueDelayPercentileNs(double quantile) {
        return queueDelay.percentile(quantile);
    }

    /** Most wire bytes ever held by the queue, counting the datagram being serialized. */
    public long maxQueueBytes() {
        return maxQueueBytes;
    }

    @Override
    public String toString() {
        return "LinkStats{offered=" + offeredDatagrams + " (" + offeredBytes + " B), delivered=" + deliveredDatagrams
                + " (" + deliveredBytes + " B), dropped{loss=" + droppedLoss + ", burst=" + droppedBurst + ", mtu="
                + droppedMtu + ", queue=" + droppedQueue + ", blackout=" + droppedBlackout + "}, duplicated="
                + duplicated + ", corrupted=" + corrupted + ", reordered=" + reordered + ", maxQueueBytes="
                + maxQueueBytes + ", queueDelay=" + queueDelay + "}";
    }
}
