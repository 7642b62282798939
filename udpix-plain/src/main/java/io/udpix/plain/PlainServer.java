package io.udpix.plain;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PlainReceiver} on one UDP port with one thread (the tutorial's model: one port, one thread;
 * start several servers for several ports) and hands every completed item to a consumer on that thread.
 *
 * <pre>{@code
 * Path out = Path.of("received");
 * PlainReceiverConfig config = PlainReceiverConfig.builder()
 *         .spillDirectory(PlainSpillDirectory.prepare(out)) // items above 8 MiB; never java.io.tmpdir
 *         .build();
 * try (PlainServer server = PlainServer.start(new InetSocketAddress("127.0.0.1", 9000), config,
 *         new PlainOutputDirectory(out))) {
 *     server.join();
 * }
 * }</pre>
 */
public final class PlainServer implements AutoCloseable {

    /** Asked of the kernel so a sender that does not wait for replies finds room (capped by net.core.rmem_max). */
    public static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(PlainServer.class);
    /** Datagrams read per wake-up before timers run, so a flood cannot starve the silence timeout. */
    private static final int MAX_DATAGRAMS_PER_WAKEUP = 1024;
    /** Replies sent per flush; the receiver queues at most one per datagram handled. */
    private static final int MAX_REPLIES_PER_FLUSH = 4096;
    /** Consecutive I/O errors after which the loop gives up rather than spin. */
    private static final int MAX_CONSECUTIVE_ERRORS = 100;

    private final DatagramChannel channel;
    private final Selector selector;
    private final PlainReceiver receiver;
    private final Consumer<PlainItem> consumer;
    private final InetSocketAddress localAddress;
    private final Thread thread;
    private volatile boolean running = true;

    private PlainServer(DatagramChannel channel, Selector selector, PlainReceiver receiver,
            Consumer<PlainItem> consumer) throws IOException {
        this.channel = channel;
        this.selector = selector;
        this.receiver = receiver;
        this.consumer = consumer;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
        this.thread = new Thread(this::run, "udpix-plain-" + localAddress.getPort());
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code bind} (port 0 picks a free one) and starts serving. {@code consumer} runs on the server's
     * thread before the item's last reply goes out; it owns each item (store it or call
     * {@link PlainItem#discard()}); if it throws, the item is discarded, the error logged, and the sender gets an
     * error reply ahead of its {@code received}.
     *
     * @throws BindException when the port is taken, with a message naming the fix
     */
    public static PlainServer start(InetSocketAddress bind, PlainReceiverConfig config, Consumer<PlainItem> consumer)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        Selector selector = null;
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            try {
                channel.bind(bind);
            } catch (BindException e) {
                BindException named = new BindException("UDP port " + bind.getPort() + " on "
                        + bind.getAddress().getHostAddress() + " is in use; pick another with --port");
                named.initCause(e);
                throw named;
            }
            channel.configureBlocking(false);
            selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
            PlainServer server = new PlainServer(channel, selector, new PlainReceiver(config), consumer);
            server.thread.start();
            LOG.info("plain: listening on {}", server.localAddress);
            return server;
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
    }

    /** The bound address (with the real port when 0 was asked). */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Live counters of the receiver. */
    public PlainCounters counters() {
        return receiver.counters();
    }

    /** Blocks until the server stops (after {@link #close()} from another thread, or a fatal socket error). */
    public void join() throws InterruptedException {
        thread.join();
    }

    /** Stops the thread, closes the port and discards partial items (deleting their spill files). */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        ByteBuffer in = ByteBuffer.allocateDirect(PlainReceiver.MAX_DATAGRAM_BYTES + 1);
        ByteBuffer out = ByteBuffer.allocateDirect(PlainReceiver.MAX_REPLY_BYTES);
        int errors = 0;
        try {
            while (running) {
                try {
                    selector.select(waitMillis(receiver.nextDeadlineNs(), System.nanoTime()));
                    selector.selectedKeys().clear();
                    for (int i = 0; i < MAX_DATAGRAMS_PER_WAKEUP && running; i++) {
                        in.clear();
                        SocketAddress from = channel.receive(in);
                        if (from == null) {
                            break;
                        }
                        in.flip();
                        receiver.handleDatagram((InetSocketAddress) from, in, System.nanoTime());
                        // Items first: a store that fails sends its error before the queued "received" goes out.
                        deliverItems(out);
                        flushReplies(out);
                    }
                    receiver.handleTimeout(System.nanoTime());
                    deliverItems(out);
                    flushReplies(out);
                    errors = 0;
                } catch (IOException e) {
                    if (!running || !channel.isOpen() || ++errors >= MAX_CONSECUTIVE_ERRORS) {
                        if (running) {
                            LOG.error("plain: {} stopped after socket errors: {}", localAddress, e.toString());
                        }
                        return;
                    }
                    LOG.warn("plain: socket error on {}: {}", localAddress, e.toString());
                }
            }
        } finally {
            receiver.close();
            closeQuietly();
        }
    }

    private void flushReplies(ByteBuffer out) throws IOException {
        for (int i = 0; i < MAX_REPLIES_PER_FLUSH; i++) {
            InetSocketAddress to = receiver.pollReply(out);
            if (to == null) {
                return;
            }
            // Non-blocking: a reply that finds the send buffer full is lost, like any datagram in plain mode.
            channel.send(out, to);
        }
    }

    private void deliverItems(ByteBuffer out) throws IOException {
        for (PlainItem item = receiver.pollItem(); item != null; item = receiver.pollItem()) {
            try {
                consumer.accept(item);
            } catch (RuntimeException e) {
                item.discard();
                // Sent at once, ahead of the item's queued "received"; counted, logged rate-limited and cut by
                // the receiver's rules (a failing disk under a flood must not flood the log either).
                InetSocketAddress to = receiver.storeFailed(item, e.getMessage(), out, System.nanoTime());
                if (to != null) {
                    channel.send(out, to);
                }
            }
        }
    }

    private void closeQuietly() {
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("plain: closing selector", e);
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("plain: closing channel", e);
        }
    }

    /** Milliseconds to wait for the next datagram; 0 means "until one arrives" to {@link Selector#select(long)}. */
    static long waitMillis(long deadlineNs, long nowNs) {
        if (deadlineNs == Long.MAX_VALUE) {
            return 0;
        }
        long ns = deadlineNs - nowNs;
        return ns <= 0 ? 1 : Math.max(1, (ns + 999_999) / 1_000_000);
    }
}
