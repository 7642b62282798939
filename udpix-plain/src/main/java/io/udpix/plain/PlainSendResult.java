package io.udpix.plain;

/**
 * What one plain send did.
 *
 * @param itemBytes       size of the item
 * @param datagrams       datagrams sent (1 for one-shot, else header + pieces)
 * @param chunked         true when a length header and pieces were sent
 * @param replies         replies received for this item (every datagram was answered when this equals datagrams)
 */
public record PlainSendResult(long itemBytes, long datagrams, boolean chunked, long replies) {
}
