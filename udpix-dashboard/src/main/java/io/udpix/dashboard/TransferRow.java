package io.udpix.dashboard;

/**
 * One incoming item as the transfers table shows it.
 *
 * @param port               the local port
 * @param sender             {@code HOST:PORT}
 * @param name               the name the sender gave
 * @param kind               IMAGE, JSON, FILE or BYTES
 * @param doneBytes          bytes received so far
 * @param sizeBytes          declared size
 * @param rateBytesPerSecond average since the item started
 * @param state              STARTED, PROGRESS, COMPLETED or FAILED
 * @param message            why it failed (or a warning), else null
 */
record TransferRow(int port, String sender, String name, String kind, long doneBytes, long sizeBytes,
        double rateBytesPerSecond, String state, String message) {}
