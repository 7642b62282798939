package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import io.udpix.testkit.Simulator;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A sink that commits off the engine's thread ({@link TransferSink#commitsLater}): the sender's RESULT waits for
 * {@link Endpoint#completeCommit} and carries its outcome.
 */
class DeferredCommitTest {
    private static final LinkSpec LINK = LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(5)
            .mtuBytes(1500).lossProbability(0.02).build();
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void theSenderIsConfirmedOnlyAfterTheCommitIsReportedDone() {
        long seed = Seeds.seedOrRandom();
        Harness h = new Harness(seed);
        h.run(30 * SECOND_NS);

        assertThat(h.sink.completed).as("seed=%d", seed).isTrue();
        assertThat(h.outcome()).as("seed=%d: no RESULT while the commit is pending", seed).isNull();
        assertThat(h.sink.aborted).isFalse();

        h.server.completeCommit(h.serverConnectionId, h.sink, ErrorCode.OK, "", h.sim.nowNs());
        h.run(30 * SECOND_NS);

        assertThat(h.outcome()).as("seed=%d", seed).isInstanceOf(TransferCompleted.class);
        assertThat(h.sink.bytes.toByteArray()).isEqualTo(h.payload);
    }

    @Test
    void aFailedCommitReachesTheSenderWithItsCodeAndReason() {
        long seed = Seeds.seedOrRandom();
        Harness h = new Harness(seed);
        h.run(30 * SECOND_NS);

        h.server.completeCommit(h.serverConnectionId, h.sink, ErrorCode.NO_SPACE, "the receiver is out of space",
                h.sim.nowNs());
        h.server.completeCommit(h.serverConnectionId, h.sink, ErrorCode.OK, "", h.sim.nowNs()); // ignored: once
        h.run(30 * SECOND_NS);

        assertThat(h.outcome()).as("seed=%d", seed).isInstanceOfSatisfying(TransferFailed.class, f -> {
            assertThat(f.errorCode()).isEqualTo(ErrorCode.NO_SPACE);
            assertThat(f.reason()).contains("out of space");
        });
    }

    /** One client sending 500 KB to a server whose sink commits later. */
    private static final class Harness {
        final Simulator sim;
        final Endpoint server;
        final Endpoint client;
        final DeferredSink sink = new DeferredSink();
        final byte[] payload = new byte[500_000];
        final List<Object> clientEvents = new ArrayList<>();
        long serverConnectionId;

        Harness(long seed) {
            new SplittableRandom(seed).nextBytes(payload);
            sim = new Simulator(seed);
            server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed * 31 + 7).build(),
                    (id, peer, info) -> {
                        serverConnectionId = id;
                        return sink;
                    });
            client = new Endpoint(EndpointConfig.builder().seed(seed * 17 + 3).build(), SinkFactory.refuseAll());
            InetSocketAddress serverAddress = sim.newAddress();
            InetSocketAddress clientAddress = sim.newAddress();
            sim.attach(serverAddress, server);
            sim.attach(clientAddress, client);
            sim.routeBoth(clientAddress, serverAddress, LINK, LINK);
            sim.onEvents(clientAddress, clientEvents::add);
            long conn = client.connect(serverAddress, sim.nowNs());
            client.send(conn, new TransferRequest(new TransferInfo(TransferKind.BYTES, "item.bin",
                    "application/octet-stream", payload.length, SimTransfer.sha256(payload)),
                    new ByteArraySource(payload)), sim.nowNs());
        }

        void run(long forNs) {
            long untilNs = sim.nowNs() + forNs;
            sim.runUntil(() -> outcome() != null || sim.nowNs() >= untilNs, forNs);
        }

        Object outcome() {
            return clientEvents.stream().filter(e -> e instanceof TransferCompleted || e instanceof TransferFailed)
                    .findFirst().orElse(null);
        }
    }

    /** Collects the bytes; complete() only records that the commit started. */
    private static final class DeferredSink implements TransferSink {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean completed;
        boolean aborted;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] copy = new byte[n];
            src.get(copy);
            bytes.write(copy, 0, n);
            return n;
        }

        @Override
        public void complete(byte[] sha256) {
            completed = true;
        }

        @Override
        public boolean commitsLater() {
            return true;
        }

        @Override
        public void abort(String reason) {
            aborted = true;
        }
    }
}
