package io.udpix.engine.crypto;

/** Test access to {@link PacketCipher#sendingTwin()}: forging authenticated packets in the fuzz targets. */
public final class PacketCipherTwins {
    private PacketCipherTwins() {
    }

    /** A cipher sealing with {@code live}'s current send keys without touching {@code live}'s state. */
    public static PacketCipher sendingTwin(PacketCipher live) {
        return live.sendingTwin();
    }
}
