package io.udpix.bench.peers;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron over UDP (io.aeron:aeron-all) with an embedded media driver: one exclusive publication per client, one
 * subscription; each message is [client, item, SHA-256, bytes] and counts only when the receiver's hash matches.
 * Aeron fragments a 32 KiB message into frames of its default 1408-byte MTU and reassembles it
 * (FragmentAssembler). The driver runs SHARED (one thread) as Aeron advises for machines with few cores.
 */
final class AeronItems implements ItemTool {
    static final int STREAM_ID = 1001;
    static final int HEADER_BYTES = 8 + 32;
    private MediaDriver driver;
    private Aeron aeron;
    private Thread poller;
    private volatile boolean running = true;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * Idle strategy of the driver and the poller: -Daeron.bench.idle=backoff (default: spins, yields, then parks up
     * to 1 ms), yield (Thread.yield, never parks) or spin (busy spin; needs a core per thread).
     */
    static IdleStrategy idle() {
        return switch (System.getProperty("aeron.bench.idle", "backoff")) {
            case "yield" -> new YieldingIdleStrategy();
            case "spin" -> new BusySpinIdleStrategy();
            default -> new BackoffIdleStrategy();
        };
    }

    private static String channel(String host, int port) {
        return "aeron:udp?endpoint=" + host + ":" + port;
    }

    private synchronized Aeron aeron() throws Exception {
        if (aeron == null) {
            String dir = Files.createTempDirectory("udpix-bench-aeron").resolve("driver").toString();
            driver = MediaDriver.launchEmbedded(new MediaDriver.Context().aeronDirectoryName(dir)
                    .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true)
                    .sharedIdleStrategy(idle()));
            aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        }
        return aeron;
    }

    @Override
    public void startReceiver(String host, int port, ReceiptSink receipts) throws Exception {
        Subscription sub = aeron().addSubscription(channel(host, port), STREAM_ID);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] expected = new byte[32];
        byte[][] scratch = {new byte[1 << 16]};
        FragmentHandler handler = new FragmentAssembler((buffer, offset, length, header) -> {
            int client = buffer.getInt(offset);
            int item = buffer.getInt(offset + 4);
            buffer.getBytes(offset + 8, expected);
            int n = length - HEADER_BYTES;
            if (scratch[0].length < n) {
                scratch[0] = new byte[n];
            }
            buffer.getBytes(offset + HEADER_BYTES, scratch[0], 0, n);
            sha.update(scratch[0], 0, n);
            if (Arrays.equals(sha.digest(), expected)) {
                receipts.verified(client, item);
            } else {
                receipts.failed(client, item, "SHA-256 mismatch");
            }
        });
        poller = new Thread(() -> {
            IdleStrategy idle = idle();
            while (running) {
                idle.idle(sub.poll(handler, 64));
            }
        }, "aeron-items-poller");
        poller.setDaemon(true);
        poller.start();
        closeables.add(sub);
    }

    @Override
    public Sender connect(String host, int port, int client, ReceiptSink receipts) throws Exception {
        ExclusivePublication pub = aeron().addExclusivePublication(channel(host, port), STREAM_ID);
        IdleStrategy idle = new BackoffIdleStrategy();
        long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (!pub.isConnected()) {
            if (System.nanoTime() > deadlineNs) {
                throw new IllegalStateException("the Aeron publication did not connect within 10 s");
            }
            idle.idle();
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[HEADER_BYTES + (1 << 16)]);
        return new Sender() {
            private UnsafeBuffer out = buffer;

            @Override
            public void send(int item, byte[] bytes) {
                int length = HEADER_BYTES + bytes.length;
                if (out.capacity() < length) {
                    out = new UnsafeBuffer(new byte[length]);
                }
                out.putInt(0, client);
                out.putInt(4, item);
                out.putBytes(8, sha.digest(bytes));
                out.putBytes(HEADER_BYTES, bytes);
                long result;
                while ((result = pub.offer(out, 0, length)) < 0) {
                    if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                        receipts.failed(client, item, "publication closed (" + result + ")");
                        return;
                    }
                    idle.idle(); // back pressure or not connected yet: retry
                }
                idle.reset();
            }

            @Override
            public void close() {
                pub.close();
            }
        };
    }

    @Override
    public void close() throws Exception {
        running = false;
        if (poller != null) {
            poller.join(2_000);
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (aeron != null) {
            aeron.close();
        }
        if (driver != null) {
            driver.close();
        }
    }
}
