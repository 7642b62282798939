package io.udpix.engine.transfer;

/** A sink's refusal of an item, with the error code and reason the sender will see. */
public final class TransferRefusedException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errorCode;

    /** A refusal with one of {@code io.udpix.wire.ErrorCode} and a reason for the sender. */
    public TransferRefusedException(int errorCode, String reason) {
        super(reason);
        this.errorCode = errorCode;
    }

    /** The wire error code sent back. */
    public int errorCode() {
        return errorCode;
    }
}
