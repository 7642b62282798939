package io.udpix.driver.epoll;

import io.netty.channel.Channel;
import io.netty.channel.DefaultChannelPromise;

/**
 * The promise of one write: a single datagram or a GSO batch, with what it carries, so the counters move only
 * when the kernel has taken it (or refused it). One per write, so a GSO batch pays one for up to 64 datagrams.
 */
final class SendPromise extends DefaultChannelPromise {
    final int segments;
    final int bytes;

    SendPromise(Channel channel, int segments, int bytes) {
        super(channel);
        this.segments = segments;
        this.bytes = bytes;
    }
}
