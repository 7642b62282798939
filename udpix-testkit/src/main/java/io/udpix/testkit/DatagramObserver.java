package io.udpix.testkit;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Sees each datagram the simulator sends or delivers, for assertions such as anti-amplification. The buffer holds
 * the datagram between position and limit, is valid during the call only and must not be modified.
 */
@FunctionalInterface
public interface DatagramObserver {
    /** One datagram from {@code from} to {@code to} at virtual time {@code nowNs}. */
    void onDatagram(long nowNs, InetSocketAddress from, InetSocketAddress to, ByteBuffer datagram);
}
