package io.udpix.driver.epoll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.unix.SegmentedDatagramPacket;
import io.netty.channel.unix.Socket;
import io.udpix.driver.DriverMetrics;
import io.udpix.driver.Rarely;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * Turns the endpoint's datagrams into Netty writes. Consecutive datagrams to one destination with one size (the
 * last may be shorter) are copied into one pooled direct buffer and sent as a single GSO send (Linux UDP_SEGMENT,
 * kernel 4.18+): the kernel splits it into datagrams after one trip through the stack. Loop thread only.
 */
final class TransmitBatcher {
    private static final System.Logger LOG = System.getLogger(EpollDriver.class.getName());
    /** UDP_MAX_SEGMENTS of kernels before 6.x (include/linux/udp.h); newer ones allow 128. */
    static final int MAX_GSO_SEGMENTS = 64;
    /**
     * The whole GSO send is built as one IP datagram before the split, so its payload obeys the IPv4 limit: 65,535
     * minus the 20-byte IPv4 and 8-byte UDP headers.
     */
    static final int MAX_GSO_PAYLOAD_BYTES = 65_507;
    /** A first guess for a new batch's buffer; it grows (pooled reallocation) when the batch does. */
    private static final int INITIAL_BATCH_BYTES = 2_048;

    private final DriverMetrics counters;
    private final String name;
    private final int gsoMaxSegmentBytesOffLoopback;
    private boolean gsoActive;

    /** Where pollTransmit writes; its contract asks for 65,507 bytes of room. */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(65_536);
    /** Source of empty datagrams (a direct buffer, so Netty's native send takes it as it is). */
    private final ByteBuffer empty = ByteBuffer.allocateDirect(1);
    private final ChannelFutureListener onSent = this::sent;

    private ByteBuf batch;
    private InetSocketAddress batchTarget;
    private int segmentBytes;
    private int segments;
    /** A shorter datagram ended the batch: UDP_SEGMENT requires every segment but the last to be gso_size. */
    private boolean sealed;
    private boolean batchMayGrow;
    private int nextCapacityBytes = INITIAL_BATCH_BYTES;

    TransmitBatcher(DriverMetrics counters, String name, boolean gso, int gsoMaxSegmentBytesOffLoopback) {
        this.counters = counters;
        this.name = name;
        this.gsoActive = gso;
        counters.set(DriverMetrics.GSO_ACTIVE, gso ? 1 : 0);
        this.gsoMaxSegmentBytesOffLoopback = gsoMaxSegmentBytesOffLoopback;
    }

    /** The buffer to hand to {@code pollTransmit}. */
    ByteBuffer scratch() {
        return scratch;
    }

    boolean gsoActive() {
        return gsoActive;
    }

    /**
     * Appends the non-empty datagram now in {@link #scratch()} for {@code target}; if it cannot join the batch
     * being built, that batch is written to {@code ctx} first (not flushed).
     */
    void add(ChannelHandlerContext ctx, InetSocketAddress target) {
        int length = scratch.remaining();
        if (batch != null && joins(target, length)) {
            batch.writeBytes(scratch);
            segments++;
            sealed = length < segmentBytes;
            return;
        }
        writePending(ctx);
        batchMayGrow = gsoActive
                && (length <= gsoMaxSegmentBytesOffLoopback || target.getAddress().isLoopbackAddress());
        int capacity = batchMayGrow ? Math.min(MAX_GSO_PAYLOAD_BYTES, Math.max(length, nextCapacityBytes)) : length;
        batch = ctx.alloc().directBuffer(capacity, MAX_GSO_PAYLOAD_BYTES);
        batch.writeBytes(scratch);
        batchTarget = target;
        segmentBytes = length;
        segments = 1;
        sealed = false;
    }

    private boolean joins(InetSocketAddress target, int length) {
        return batchMayGrow && gsoActive && !sealed && length <= segmentBytes && segments < MAX_GSO_SEGMENTS
                && batch.readableBytes() + length <= MAX_GSO_PAYLOAD_BYTES
                && (target == batchTarget || target.equals(batchTarget));
    }

    /** Writes the batch being built, if any, to {@code ctx}; the caller flushes. */
    void writePending(ChannelHandlerContext ctx) {
        if (batch == null) {
            return;
        }
        ByteBuf content = batch;
        batch = null;
        int bytes = content.readableBytes();
        // The next batch likely looks like this one: start its buffer at this size and save the regrowth.
        nextCapacityBytes = Math.max(INITIAL_BATCH_BYTES, bytes);
        DatagramPacket packet = segments > 1
                ? new SegmentedDatagramPacket(content, segmentBytes, batchTarget)
                : new DatagramPacket(content, batchTarget);
        SendPromise promise = new SendPromise(ctx.channel(), segments, bytes);
        promise.addListener(onSent);
        batchTarget = null;
        counters.increment(DriverMetrics.SEND_CALLS);
        ctx.write(packet, promise);
    }

    /** Releases a batch that will never be written (the driver is closing). */
    void discard() {
        if (batch != null) {
            batch.release();
            batch = null;
            batchTarget = null;
        }
    }

    /**
     * Sends an empty datagram straight through the socket: Netty's epoll channel silently skips empty messages (and
     * inside a sendmmsg batch miscounts them, resending the next one), so they never go through a write. Returns
     * false, sending nothing, while Netty still holds datagrams that must leave first.
     */
    boolean sendEmpty(ChannelHandlerContext ctx, InetSocketAddress target) {
        ChannelOutboundBuffer pending = ctx.channel().unsafe().outboundBuffer();
        if (batch != null || (pending != null && !pending.isEmpty())) {
            return false;
        }
        try {
            Socket socket = (Socket) ((EpollDatagramChannel) ctx.channel()).fd();
            // 0 bytes sent means both "sent" and "would block" here; udpix never sends empty datagrams, so like
            // the NIO driver we take the kernel's word.
            counters.increment(DriverMetrics.SEND_CALLS);
            socket.sendTo(empty, 0, 0, target.getAddress(), target.getPort());
            counters.increment(DriverMetrics.DATAGRAMS_SENT);
        } catch (PortUnreachableException e) {
            counters.increment(DriverMetrics.ICMP_ERRORS);
        } catch (IOException e) {
            long count = counters.sendErrors(DriverMetrics.SendErrorCause.of(e), 1);
            Rarely.log(LOG, count, "send of an empty datagram to " + target + " failed on " + name, e);
        }
        return true;
    }

    private void sent(ChannelFuture future) {
        SendPromise promise = (SendPromise) future;
        if (future.isSuccess()) {
            counters.add(DriverMetrics.DATAGRAMS_SENT, promise.segments);
            counters.add(DriverMetrics.BYTES_SENT, promise.bytes);
            if (promise.segments > 1) {
                counters.increment(DriverMetrics.GSO_BATCHES);
                counters.add(DriverMetrics.GSO_SEGMENTS, promise.segments);
            }
            return;
        }
        Throwable cause = future.cause();
        if (cause instanceof PortUnreachableException) {
            counters.add(DriverMetrics.ICMP_ERRORS, promise.segments);
            return;
        }
        // The datagrams are gone (no route, too large for the path, socket closed): the protocol's loss recovery
        // resends their content, so the driver only counts them.
        long count = counters.sendErrors(DriverMetrics.SendErrorCause.of(cause), promise.segments);
        if (!(cause instanceof ClosedChannelException)) {
            Rarely.log(LOG, count, "send of " + promise.segments + " datagram(s), " + promise.bytes
                    + " bytes, failed on " + name, cause);
        }
        if (promise.segments > 1 && gsoActive && !(cause instanceof ClosedChannelException)) {
            // A kernel that refuses a GSO send (EINVAL: segment over the route MTU, or a device without UDP GSO)
            // would refuse the next one too; plain sends still work.
            counters.increment(DriverMetrics.GSO_FAILURES);
            gsoActive = false;
            counters.set(DriverMetrics.GSO_ACTIVE, 0);
            LOG.log(System.Logger.Level.WARNING, "the kernel refused a GSO send on " + name + " (" + cause
                    + "); sending datagrams one by one from now on");
        }
    }
}
