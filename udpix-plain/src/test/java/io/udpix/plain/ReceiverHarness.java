package io.udpix.plain;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Drives a {@link PlainReceiver} without sockets: datagrams in, replies out, time set by the test. */
final class ReceiverHarness implements AutoCloseable {
    static final long SECOND_NS = 1_000_000_000L;

    final PlainReceiver receiver;
    long nowNs = 5 * SECOND_NS;
    private final ByteBuffer in = ByteBuffer.allocateDirect(PlainReceiver.MAX_DATAGRAM_BYTES);
    private final ByteBuffer replyBuffer = ByteBuffer.allocate(PlainReceiver.MAX_REPLY_BYTES);

    ReceiverHarness(PlainReceiverConfig config) {
        receiver = new PlainReceiver(config);
    }

    /** Hands one datagram to the receiver at the current time. */
    void send(InetSocketAddress from, byte[] datagram) {
        in.clear();
        in.put(datagram).flip();
        receiver.handleDatagram(from, in, nowNs);
    }

    /** Moves the clock and lets the receiver's timers run. */
    void advance(long ns) {
        nowNs += ns;
        receiver.handleTimeout(nowNs);
    }

    /** Every queued reply, oldest first. */
    List<Reply> replies() {
        List<Reply> out = new ArrayList<>();
        for (InetSocketAddress to = receiver.pollReply(replyBuffer); to != null; to = receiver.pollReply(replyBuffer)) {
            byte[] b = new byte[replyBuffer.remaining()];
            replyBuffer.get(b);
            out.add(new Reply(to, b));
        }
        return out;
    }

    /** Takes and discards every completed item; returns how many there were. */
    int drainItems() {
        int n = 0;
        for (PlainItem item = receiver.pollItem(); item != null; item = receiver.pollItem()) {
            item.discard();
            n++;
        }
        return n;
    }

    @Override
    public void close() {
        drainItems();
        receiver.close();
    }

    /** One reply as sent. */
    record Reply(InetSocketAddress to, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
