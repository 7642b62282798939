package io.udpix.plain;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Bounded FIFO of replies. A ring of (address, bytes, length) slots, so the common reply, which shares one byte
 * array, costs no allocation, and neither does cutting a reply to a shorter length.
 */
final class ReplyQueue {
    private final InetSocketAddress[] to;
    private final byte[][] bytes;
    private final int[] lengths;
    private int head;
    private int size;

    ReplyQueue(int capacity) {
        to = new InetSocketAddress[capacity];
        bytes = new byte[capacity][];
        lengths = new int[capacity];
    }

    /** Adds a reply; false when the queue is full (the reply is dropped). */
    boolean offer(InetSocketAddress address, byte[] reply) {
        return offer(address, reply, reply.length);
    }

    /** Adds the first {@code lengthBytes} of {@code reply}; false when the queue is full (the reply is dropped). */
    boolean offer(InetSocketAddress address, byte[] reply, int lengthBytes) {
        if (size == to.length) {
            return false;
        }
        int slot = (head + size) % to.length;
        to[slot] = address;
        bytes[slot] = reply;
        lengths[slot] = lengthBytes;
        size++;
        return true;
    }

    /** Copies the oldest reply into {@code dst} (cleared, then flipped) and returns its address; null if empty. */
    InetSocketAddress poll(ByteBuffer dst) {
        if (size == 0) {
            return null;
        }
        InetSocketAddress address = to[head];
        byte[] reply = bytes[head];
        int length = lengths[head];
        to[head] = null;
        bytes[head] = null;
        head = (head + 1) % to.length;
        size--;
        dst.clear();
        dst.put(reply, 0, Math.min(length, dst.remaining()));
        dst.flip();
        return address;
    }

    int size() {
        return size;
    }
}
