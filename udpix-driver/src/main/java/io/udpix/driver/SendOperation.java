package io.udpix.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

/**
 * How the loop hands one datagram to the kernel: {@code DatagramChannel::send} in production; tests substitute
 * one that reports a full socket buffer, which loopback never does.
 */
@FunctionalInterface
interface SendOperation {
    /** Sends the bytes between position and limit; returns 0, leaving the buffer untouched, when it would block. */
    int send(DatagramChannel channel, ByteBuffer datagram, InetSocketAddress target) throws IOException;
}
