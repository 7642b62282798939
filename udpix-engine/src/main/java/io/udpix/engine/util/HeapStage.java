package io.udpix.engine.util;

import java.nio.ByteBuffer;

/**
 * A per-thread heap buffer on which a sealed packet is composed or opened when the driver's buffer is direct.
 *
 * <p>The JDK's AES-GCM and SHA-256 intrinsics take byte arrays: given a direct buffer, {@code PacketCipher} copies
 * the packet into a scratch array and back, and {@code MessageDigest.update(ByteBuffer)} copies it again in 4 KiB
 * pieces. Composing the whole packet on a heap array and copying it into the driver's buffer once (and, receiving,
 * copying it out once and opening and parsing it there) leaves one copy of each byte instead of three.
 *
 * <p>One array per thread and stage (an engine runs on one thread), as large as the largest driver buffer asked for
 * (the driver's datagram buffer, at most 64 KiB plus headroom), reused for every packet: no allocation per datagram.
 * The view is valid until the same thread asks this stage again.
 */
public final class HeapStage {
    private final ThreadLocal<ByteBuffer> views = new ThreadLocal<>();

    /** A heap buffer of exactly {@code capacityBytes}, position 0 and limit capacity, on this thread's array. */
    public ByteBuffer view(int capacityBytes) {
        ByteBuffer v = views.get();
        if (v == null || v.capacity() != capacityBytes) {
            byte[] a = v != null && v.array().length >= capacityBytes ? v.array() : new byte[capacityBytes];
            v = ByteBuffer.wrap(a, 0, capacityBytes).slice();
            views.set(v);
        }
        return v.clear();
    }
}
