package io.udpix.engine.event;

/** Something the engine reports to the application; drained with {@code SansIoEndpoint.pollEvent()}. */
public sealed interface EndpointEvent
        permits ConnectionEstablished, ConnectionClosed, TransferStarted, TransferProgress, TransferCompleted,
                TransferFailed, StreamOpened, FrameReceived, StreamEnded {
    /** The local connection ID of the connection the event belongs to. */
    long connectionId();
}
