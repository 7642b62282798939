package io.udpix.wire;

/** Values of the packet header's type byte (offset 3), see docs/PROTOCOL.md section 2. */
public final class PacketType {

    /** Client opens a connection with Noise message 1; padded to at least {@link HelloPacket#MIN_DATAGRAM_BYTES}. */
    public static final int HELLO = 0x01;
    /** Server asks the client to repeat its HELLO with the enclosed address-validation cookie. */
    public static final int RETRY = 0x02;
    /** Server accepts a connection: Noise message 2, its key and its capability block. */
    public static final int ACCEPT = 0x03;
    /** Reply to a datagram whose version the receiver does not speak; lists the versions it does. */
    public static final int VERSION = 0x04;
    /** Stateless reply to DATA for a connection id the receiver does not know; carries the reset token. */
    public static final int RESET = 0x05;
    /** Client completes the Noise handshake (message 3); resent until the server's first DATA arrives. */
    public static final int FINISH = 0x06;
    /** Frames of an established connection, sealed with AES-256-GCM. */
    public static final int DATA = 0x10;

    private PacketType() {
    }

    /** The constant's name, or {@code UNKNOWN(0x..)} for any other value. */
    public static String name(int type) {
        switch (type) {
            case HELLO:
                return "HELLO";
            case RETRY:
                return "RETRY";
            case ACCEPT:
                return "ACCEPT";
            case VERSION:
                return "VERSION";
            case RESET:
                return "RESET";
            case FINISH:
                return "FINISH";
            case DATA:
                return "DATA";
            default:
                return unknown(type);
        }
    }

    static String unknown(int value) {
        return String.format("UNKNOWN(0x%02X)", value);
    }
}
