package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import io.udpix.testkit.Simulator;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Resumed transfers through the simulator (docs/PROTOCOL.md section 5.5): a receiver whose sink already holds the
 * content's first bytes answers RESUME, and only the rest crosses the network.
 */
class ResumeTest {
    private static final LinkSpec CLEAN = LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(20)
            .mtuBytes(1500).build();

    /** A sink holding the content's first {@code heldBytes} (a kept partial file); verifies the whole content. */
    static final class PrefixSink implements TransferSink {
        final byte[] content;
        final long heldBytes;
        int position;
        boolean completed;

        PrefixSink(byte[] payload, long heldBytes) {
            this.content = new byte[payload.length];
            System.arraycopy(payload, 0, content, 0, (int) heldBytes);
            this.heldBytes = heldBytes;
            this.position = (int) heldBytes;
        }

        @Override
        public long resumeFromBytes() {
            return heldBytes;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.get(content, position, n);
            position += n;
            return n;
        }

        @Override
        public void complete(byte[] sha256) throws TransferRefusedException {
            // The engine saw only [heldBytes, size): the sink verifies the whole content (TransferSink's contract).
            if (!Arrays.equals(SimTransfer.sha256(content), sha256)) {
                throw new TransferRefusedException(ErrorCode.HASH_MISMATCH, "the whole content does not match");
            }
            completed = true;
        }

        @Override
        public void abort(String reason) {
        }
    }

    /** One client, one server holding {@code heldBytes} of whatever comes, over {@code up}/{@code down}. */
    private static final class Run {
        final Simulator sim;
        final Endpoint server;
        final Endpoint client;
        final InetSocketAddress serverAddress;
        final InetSocketAddress clientAddress;
        final List<EndpointEvent> clientEvents = new ArrayList<>();
        final List<PrefixSink> sinks = new ArrayList<>();
        final List<Long> serverSendTimesNs = new ArrayList<>();

        Run(long seed, byte[] payload, long heldBytes, LinkSpec up, LinkSpec down) {
            sim = new Simulator(seed);
            SinkFactory factory = (id, peer, info) -> {
                PrefixSink sink = new PrefixSink(payload, info.extensions().resumable() ? heldBytes : 0);
                sinks.add(sink);
                return sink;
            };
            server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed * 31 + 7).build(),
                    factory);
            client = new Endpoint(EndpointConfig.builder().seed(seed * 17 + 3).build(), SinkFactory.refuseAll());
            serverAddress = sim.newAddress();
            clientAddress = sim.newAddress();
            sim.attach(serverAddress, server);
            sim.attach(clientAddress, client);
            sim.routeBoth(clientAddress, serverAddress, up, down);
            sim.onEvents(clientAddress, clientEvents::add);
            sim.onSend((nowNs, from, to, datagram) -> {
                if (from.equals(serverAddress)) {
                    serverSendTimesNs.add(nowNs);
                }
            });
            long conn = client.connect(serverAddress, sim.nowNs());
            TransferInfo info = new TransferInfo(TransferKind.FILE, "big.bin", "application/octet-stream",
                    payload.length, SimTransfer.sha256(payload), ItemExtensions.NONE.withResumable());
            client.send(conn, new TransferRequest(info, new ByteArraySource(payload)), sim.nowNs());
            sim.runUntil(() -> clientEvents.stream().anyMatch(e -> e instanceof TransferCompleted
                    || e instanceof TransferFailed), 120_000_000_000L);
        }

        TransferCompleted completed(long seed) {
            return clientEvents.stream().filter(e -> e instanceof TransferCompleted).map(e -> (TransferCompleted) e)
                    .findFirst().orElseThrow(() -> new AssertionError("seed=" + seed + " (re-run with -Dudpix.seed="
                            + seed + ") " + clientEvents));
        }

        long chunkBytesSent() {
            return client.allConnectionStats().stream().mapToLong(s -> s.chunkBytesSent()).sum();
        }
    }

    private static byte[] payload(long seed, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void aReceiverHoldingAPrefixGetsOnlyTheRestOnTheWireAndTheItemCompletesVerified() {
        long seed = Seeds.seedOrRandom();
        byte[] payload = payload(seed, 4_000_000);
        long held = 2_500_000;

        Run run = new Run(seed, payload, held, CLEAN, CLEAN);

        TransferCompleted done = run.completed(seed);
        assertThat(done.resumedFromBytes()).isEqualTo(held);
        assertThat(done.movedBytes()).isEqualTo(payload.length - held);
        assertThat(run.chunkBytesSent()).as("seed=%d: CHUNK bytes on the wire", seed)
                .isEqualTo(payload.length - held);
        assertThat(run.sinks).hasSize(1);
        assertThat(run.sinks.get(0).completed).isTrue();
        assertThat(run.sinks.get(0).content).as("seed=%d", seed).isEqualTo(payload);
    }

    @Test
    void aReceiverHoldingTheWholeContentConfirmsItWithoutAnyChunk() {
        long seed = Seeds.seedOrRandom();
        byte[] payload = payload(seed, 1_000_000);

        Run run = new Run(seed, payload, payload.length, CLEAN, CLEAN);

        assertThat(run.completed(seed).resumedFromBytes()).isEqualTo(payload.length);
        assertThat(run.chunkBytesSent()).isZero();
    }

    @Test
    void theResumeIsRetransmittedWhenItsFirstCopyIsLost() {
        long seed = Seeds.seedOrRandom();
        byte[] payload = payload(seed, 2_000_000);
        long held = 1_000_000;
        // 20 ms each way: ACCEPT leaves the server at ~20 ms, the client's FINISH with the OPEN arrives at ~60 ms and
        // the first RESUME leaves then: everything the server sends from 50 ms to 400 ms is lost.
        LinkSpec down = LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(20).mtuBytes(1500)
                .blackout(50_000_000L, 400_000_000L).build();

        Run run = new Run(seed, payload, held, CLEAN, down);

        assertThat(run.serverSendTimesNs).as("the server sent into the blackout")
                .anyMatch(t -> t >= 50_000_000L && t < 400_000_000L);
        TransferCompleted done = run.completed(seed);
        assertThat(done.resumedFromBytes()).isEqualTo(held);
        assertThat(run.sinks.get(0).content).as("seed=%d", seed).isEqualTo(payload);
    }

    @Test
    void resumedTransfersCompleteVerifiedUnderRandomLoss() {
        long seed = Seeds.seedOrRandom();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 12; i++) {
            long runSeed = random.nextLong();
            int size = 200_000 + random.nextInt(1_500_000);
            long held = random.nextInt(size + 1);
            LinkSpec lossy = LinkSpec.builder().rateMegabitsPerSecond(50).delayMillis(1 + random.nextInt(40))
                    .mtuBytes(1500).lossProbability(0.05 + 0.25 * random.nextDouble()).build();
            byte[] payload = payload(runSeed, size);

            Run run = new Run(runSeed, payload, held, lossy, lossy);

            assertThat(run.completed(runSeed).resumedFromBytes()).as("seed=%d", runSeed).isEqualTo(held);
            assertThat(run.sinks.get(0).content).as("seed=%d", runSeed).isEqualTo(payload);
        }
    }
}
