package io.udpix.engine;

import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.testkit.EndpointStalls;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Simulator;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * Test support: one transfer over bench/linkemu's emulated path (rate, RTT, iid loss at the link's entry in both
 * directions, a drop-tail queue of one bandwidth-delay product, 1,500-byte MTU), with the bytes delivered in order
 * to the receiver's sink sampled every {@link #SAMPLE_NS} of virtual time.
 */
final class RampUp {
    static final long SAMPLE_NS = 100_000_000L;
    static final int MTU_BYTES = 1500;
    static final long MIB = 1L << 20;

    final long seed;
    final long rateBitsPerSecond;
    final long rttNs;
    final double loss;
    final long sizeBytes;
    /** Pauses of each endpoint (a cold JVM's), or null for none. */
    final EndpointStalls stalls;
    /** Bytes the server's sink had taken at each sample time i * SAMPLE_NS (index 0: time 0). */
    final long[] deliveredAt;
    final ConnectionStats.Snapshot[] senderAt;
    long establishedAtNs = -1;
    long completedAtNs = -1;
    RunResult result;
    String simStats;
    ConnectionStats.Snapshot finalStats;

    private RampUp(long seed, long rateBitsPerSecond, long rttNs, double loss, long sizeBytes, long horizonNs,
            EndpointStalls stalls) {
        this.stalls = stalls;
        this.seed = seed;
        this.rateBitsPerSecond = rateBitsPerSecond;
        this.rttNs = rttNs;
        this.loss = loss;
        this.sizeBytes = sizeBytes;
        int samples = (int) (horizonNs / SAMPLE_NS) + 1;
        this.deliveredAt = new long[samples];
        this.senderAt = new ConnectionStats.Snapshot[samples];
    }

    /** The emulated path of docs/BENCHMARKS.md scenario 3, one direction. */
    static LinkSpec path(long rateBitsPerSecond, long rttNs, double loss) {
        long bdpBytes = rateBitsPerSecond / 8 * rttNs / 1_000_000_000L;
        return LinkSpec.builder().rateBitsPerSecond(rateBitsPerSecond).delayNs(rttNs / 2).mtuBytes(MTU_BYTES)
                .queueBytes(bdpBytes).lossProbability(loss).lossAtEntry(true).build();
    }

    /**
     * Runs one transfer of {@code sizeBytes} from time 0 (the client connects and queues the item at once) until
     * the sender is told the item completed, or {@code horizonNs} of virtual time.
     */
    static RampUp run(long seed, long rateBitsPerSecond, long rttNs, double loss, long sizeBytes, long horizonNs) {
        return run(seed, rateBitsPerSecond, rttNs, loss, sizeBytes, horizonNs, null);
    }

    /** As {@link #run}, with both endpoints paused as {@code stalls} says (each its own draws; null: none). */
    static RampUp run(long seed, long rateBitsPerSecond, long rttNs, double loss, long sizeBytes, long horizonNs,
            EndpointStalls stalls) {
        RampUp r = new RampUp(seed, rateBitsPerSecond, rttNs, loss, sizeBytes, horizonNs, stalls);
        r.execute(horizonNs);
        return r;
    }

    private void execute(long horizonNs) {
        Simulator sim = new Simulator(seed);
        CountingSink sink = new CountingSink();
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed * 31 + 7).build(),
                (id, peer, info) -> sink);
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed * 17 + 3).build(), SinkFactory.refuseAll());
        InetSocketAddress serverAddress = sim.newAddress();
        InetSocketAddress clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        LinkSpec spec = path(rateBitsPerSecond, rttNs, loss);
        sim.routeBoth(clientAddress, serverAddress, spec, spec);
        if (stalls != null) {
            sim.stallRandomly(clientAddress, stalls);
            sim.stallRandomly(serverAddress, stalls);
        }
        sim.onEvents(clientAddress, e -> {
            if (e instanceof ConnectionEstablished && establishedAtNs < 0) {
                establishedAtNs = sim.nowNs();
            }
            if (e instanceof TransferCompleted && completedAtNs < 0) {
                completedAtNs = sim.nowNs();
            }
        });
        long conn = client.connect(serverAddress, 0);
        // The SHA-256 follows the data (as `udpix send` does for files): nothing is read before the first byte goes.
        client.send(conn, new TransferRequest(new TransferInfo(TransferKind.BYTES, "ramp.bin",
                "application/octet-stream", sizeBytes, null), new PatternSource(sizeBytes)), 0);
        for (int i = 1; i < deliveredAt.length; i++) {
            int index = i;
            sim.addTask(i * SAMPLE_NS, () -> {
                deliveredAt[index] = sink.bytes;
                senderAt[index] = client.connectionStats(conn);
            });
        }
        result = sim.runUntil(() -> completedAtNs >= 0, horizonNs);
        simStats = sim.stats().toString();
        finalStats = client.connectionStats(conn);
        // Samples after completion hold the whole item.
        for (int i = 1; i < deliveredAt.length; i++) {
            if ((long) i * SAMPLE_NS > sim.nowNs()) {
                deliveredAt[i] = sink.bytes;
                senderAt[i] = finalStats;
            }
        }
    }

    /** Goodput from time 0 to {@code atNs} (bytes delivered in order / elapsed), as a fraction of the link rate. */
    double shareSinceStart(long atNs) {
        int i = (int) (atNs / SAMPLE_NS);
        return deliveredAt[i] * 8.0 / (atNs / 1e9) / rateBitsPerSecond;
    }

    /** Goodput in the {@code windowNs} before {@code atNs}, as a fraction of the link rate. */
    double shareInWindow(long atNs, long windowNs) {
        int i = (int) (atNs / SAMPLE_NS);
        int j = (int) ((atNs - windowNs) / SAMPLE_NS);
        return (deliveredAt[i] - deliveredAt[j]) * 8.0 / (windowNs / 1e9) / rateBitsPerSecond;
    }

    /** Goodput of the whole item, from time 0 (connect) to the sender's completion, as a share of the link. */
    double shareOfLink() {
        return sizeBytes * 8.0 / (completedAtNs / 1e9) / rateBitsPerSecond;
    }

    boolean completed() {
        return completedAtNs >= 0;
    }

    String describe() {
        return String.format(Locale.ROOT, "seed=%d (re-run with -Dudpix.seed=%d) %.0f Mbit/s rtt=%d ms loss=%.1f%% "
                + "size=%d MiB stalls=%s completedAt=%.3f s established=%.3f s run=%s sim=%s stats=%s", seed, seed,
                rateBitsPerSecond / 1e6, rttNs / 1_000_000, loss * 100, sizeBytes / MIB, stalls, completedAtNs / 1e9,
                establishedAtNs / 1e9, result, simStats, finalStats);
    }

    /** Takes everything and counts it (the engine verifies the SHA-256 itself). */
    static final class CountingSink implements TransferSink {
        long bytes;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            bytes += n;
            return n;
        }

        @Override
        public void complete(byte[] sha256) {}

        @Override
        public void abort(String reason) {}
    }
}
