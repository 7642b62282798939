package io.udpix.bench.jmh;

import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's per-packet cost without sockets: a client and a server {@link Endpoint} joined in memory (no loss,
 * virtual time advancing {@value #VIRTUAL_NS_PER_DATAGRAM} ns per datagram) move one 16 MiB item, SHA-256
 * verified at the receiver. Both endpoints run on the benchmark thread, so the time per datagram covers the
 * sender's packet building, CRC32C, recovery bookkeeping and congestion control, and the receiver's validation,
 * reassembly, SHA-256 and ACKs. The aux counters give data and ACK datagrams per second; 1e9 divided by
 * {@code dataDatagrams} is the engine's cost per data packet (both sides together).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    static final int ITEM_BYTES = 16 << 20;
    static final long VIRTUAL_NS_PER_DATAGRAM = 1_000;
    /** Bound on loop turns per transfer: far above the ~12,000-250,000 datagrams a transfer takes. */
    static final long MAX_TURNS = 50_000_000L;

    /** The datagram size the engine may use (path MTU discovery off: a fixed path). */
    @Param({"1472", "8972", "65507"})
    public int datagramBytes;

    private byte[] content;
    private byte[] sha256;
    private final ByteBuffer buffer = ByteBuffer.allocate(65_536);
    private final InetSocketAddress clientAddress = new InetSocketAddress("127.0.0.1", 40_001);
    private final InetSocketAddress serverAddress = new InetSocketAddress("127.0.0.1", 40_002);

    /** Datagrams moved, reported per second beside the transfers per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Datagrams {
        /** Client to server (CHUNKs, mostly). */
        public long dataDatagrams;
        /** Server to client (ACKs, window updates, RESULT). */
        public long ackDatagrams;

        @Setup(Level.Iteration)
        public void reset() {
            dataDatagrams = 0;
            ackDatagrams = 0;
        }
    }

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        content = new byte[ITEM_BYTES];
        new SplittableRandom(11).nextBytes(content);
        sha256 = MessageDigest.getInstance("SHA-256").digest(content);
    }

    private EndpointConfig config(boolean server, long seed) {
        return EndpointConfig.builder().acceptConnections(server).seed(seed).maxDatagramBytes(datagramBytes)
                .initialDatagramBytes(Math.min(datagramBytes, 1472)).pathMtuDiscovery(datagramBytes > 1472)
                .build();
    }

    /** One whole transfer: handshake, 16 MiB of CHUNKs and their ACKs, SHA-256 check and RESULT. */
    @Benchmark
    public long transfer16MiB(Datagrams counters) {
        Endpoint client = new Endpoint(config(false, 1), SinkFactory.refuseAll());
        Endpoint server = new Endpoint(config(true, 2), (id, peer, info) -> io.udpix.engine.transfer.DiscardSink.INSTANCE);
        long nowNs = 1_000_000_000L;
        long conn = client.connect(serverAddress, nowNs);
        TransferInfo info = new TransferInfo(TransferKind.BYTES, "bench.bin", "application/octet-stream",
                ITEM_BYTES, sha256);
        client.send(conn, new TransferRequest(info, new ByteArraySource(content)), nowNs);
        for (long turn = 0; turn < MAX_TURNS; turn++) {
            int moved = 0;
            // Bounded bursts per side, as a driver would batch them.
            for (int i = 0; i < 64 && client.pollTransmit(buffer, nowNs) != null; i++) {
                server.handleDatagram(clientAddress, buffer, nowNs);
                counters.dataDatagrams++;
                moved++;
                nowNs += VIRTUAL_NS_PER_DATAGRAM;
            }
            for (int i = 0; i < 64 && server.pollTransmit(buffer, nowNs) != null; i++) {
                client.handleDatagram(serverAddress, buffer, nowNs);
                counters.ackDatagrams++;
                moved++;
                nowNs += VIRTUAL_NS_PER_DATAGRAM;
            }
            drain(server);
            EndpointEvent e;
            while ((e = client.pollEvent()) != null) {
                if (e instanceof TransferCompleted) {
                    return nowNs;
                }
                if (e instanceof TransferFailed f) {
                    throw new IllegalStateException("the in-memory transfer failed: " + f);
                }
            }
            if (moved == 0) {
                long next = Math.min(client.nextDeadlineNs(), server.nextDeadlineNs());
                if (next == Long.MAX_VALUE) {
                    throw new IllegalStateException("both endpoints are idle before the transfer completed");
                }
                nowNs = Math.max(nowNs + 1, next);
            }
            if (client.nextDeadlineNs() <= nowNs) {
                client.handleTimeout(nowNs);
            }
            if (server.nextDeadlineNs() <= nowNs) {
                server.handleTimeout(nowNs);
            }
        }
        throw new IllegalStateException("the in-memory transfer did not finish in " + MAX_TURNS + " turns");
    }

    private static void drain(Endpoint endpoint) {
        for (int i = 0; i < 4096 && endpoint.pollEvent() != null; i++) {
            // Server events (started, progress, completed) are not needed; drained so the queue stays short.
        }
    }

}
