package io.udpix.driver.epoll;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Loopback never fills a UDP socket's send buffer (the kernel hands each datagram straight to the receiver), so
 * a full socket is simulated between the driver and the socket: seeded stalls (starting at a write or a flush)
 * during which writes and flushes are held and the channel reports itself unwritable (Netty's user-defined
 * writability, the same signal a full socket raises), released a few hundred microseconds later. Event loop
 * thread only.
 */
final class StallingHandler extends ChannelOutboundHandlerAdapter {
    private static final int WRITABILITY_INDEX = 1;
    /** Far above anything a driver that respects writability queues; reaching it fails the test. */
    private static final int MAX_HELD = 10_000;

    private record Held(Object msg, ChannelPromise promise) {}

    private final SplittableRandom random;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    private boolean stalled;
    long stalls;
    long flushesHeld;
    int maxHeld;

    StallingHandler(long seed) {
        random = new SplittableRandom(seed);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!stalled && random.nextInt(40) == 0) {
            stall(ctx);
        }
        if (!stalled) {
            ctx.write(msg, promise);
            return;
        }
        if (held.size() == MAX_HELD) {
            throw new IllegalStateException("the driver kept writing to an unwritable channel: " + MAX_HELD
                    + " writes held");
        }
        held.add(new Held(msg, promise));
        maxHeld = Math.max(maxHeld, held.size());
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!stalled && random.nextInt(10) == 0) {
            stall(ctx);
        }
        if (stalled) {
            flushesHeld++;
            return;
        }
        ctx.flush();
    }

    private void stall(ChannelHandlerContext ctx) {
        stalled = true;
        stalls++;
        outbound(ctx).setUserDefinedWritability(WRITABILITY_INDEX, false);
        long releaseAfterUs = 100 + random.nextInt(400);
        ctx.executor().schedule(() -> release(ctx), releaseAfterUs, TimeUnit.MICROSECONDS);
    }

    private void release(ChannelHandlerContext ctx) {
        stalled = false;
        for (Held h = held.poll(); h != null; h = held.poll()) {
            ctx.write(h.msg(), h.promise());
        }
        ctx.flush();
        ChannelOutboundBuffer outbound = outbound(ctx);
        if (outbound != null) {
            outbound.setUserDefinedWritability(WRITABILITY_INDEX, true); // fires channelWritabilityChanged
        }
    }

    private static ChannelOutboundBuffer outbound(ChannelHandlerContext ctx) {
        return ctx.channel().unsafe().outboundBuffer();
    }
}
