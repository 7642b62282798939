package io.udpix.driver.epoll;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * A {@link ByteBuffer} view of a received datagram without a per-datagram allocation. Netty hands each datagram
 * as a slice of a pooled read buffer, and a slice's NIO view is a fresh duplicate; the parent's internal view is
 * cached, so the datagram is addressed in the parent (via their memory addresses). Anything else is copied into a
 * reused buffer. Loop thread only; the view is valid until the next call.
 */
final class DatagramView {
    private final ByteBuffer copy = ByteBuffer.allocateDirect(65_536);

    ByteBuffer of(ByteBuf content) {
        int length = content.readableBytes();
        ByteBuf parent = content.unwrap();
        if (parent != null && content.hasMemoryAddress() && parent.hasMemoryAddress() && parent.unwrap() == null) {
            long offset = content.memoryAddress() + content.readerIndex() - parent.memoryAddress();
            if (offset >= 0 && offset + length <= parent.capacity()) {
                return parent.internalNioBuffer((int) offset, length);
            }
        }
        if (content.nioBufferCount() == 1 && parent == null) {
            return content.internalNioBuffer(content.readerIndex(), length);
        }
        copy.clear().limit(length);
        content.getBytes(content.readerIndex(), copy);
        return copy.flip();
    }
}
