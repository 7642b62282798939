package io.udpix.api;

/**
 * Handles every item a server received, after it was stored and verified, and says what goes back to a sender
 * that asked for a reply ({@link UdpixClient#request}). Runs on the server's request pool
 * ({@link UdpixServer.Builder#requestThreads}), never on an I/O thread; an exception it throws fails the
 * sender's request with its message.
 */
@FunctionalInterface
public interface ItemHandler {
    /**
     * The reply to {@code item}: sent only when the sender asked for one, ignored otherwise.
     *
     * @return the reply; null counts as {@link Reply#none()}
     */
    Reply handle(ReceivedItem item) throws Exception;
}
