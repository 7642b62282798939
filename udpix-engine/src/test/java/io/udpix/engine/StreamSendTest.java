package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamParams;
import io.udpix.engine.stream.StreamStats;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stream sender through two real endpoints on the in-test network (virtual time). */
class StreamSendTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    static final long MS = 1_000_000L;

    @Test
    void itemsStillProgressBesideAStreamThatWantsMoreThanTheWindowGives() throws Exception {
        long seed = Long.getLong("udpix.seed", 11);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] item = new byte[2_000_000];
        random.nextBytes(item);
        List<byte[]> items = new ArrayList<>();
        List<FrameReceived> frames = new ArrayList<>();
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), items::add));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(),
                io.udpix.engine.transfer.SinkFactory.refuseAll());
        MiniNet net = new MiniNet(seed, 20 * MS, 0.01);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        long conn = client.connect(SERVER, 0);
        List<EndpointEvent> clientEvents = new ArrayList<>();
        byte[] itemSha256 = sha256(item);
        int[] stream = {-1};
        long[] nextFrameNs = {0};
        long[] sentFrames = {0};
        boolean done = net.runUntil(() -> {
            EndpointEvent e;
            while ((e = client.pollEvent()) != null) {
                clientEvents.add(e);
                if (e instanceof io.udpix.engine.event.ConnectionEstablished) {
                    stream[0] = client.openStream(conn, StreamParams.jpeg("cam").withFec(FecMode.OFF), net.nowNs());
                    client.send(conn, new TransferRequest(new TransferInfo(TransferKind.FILE, "f.bin",
                            "application/octet-stream", item.length, itemSha256), new ByteArraySource(item)),
                            net.nowNs());
                }
            }
            while ((e = server.pollEvent()) != null) {
                if (e instanceof FrameReceived f) {
                    frames.add(f);
                }
            }
            long now = net.nowNs();
            if (stream[0] > 0 && now >= nextFrameNs[0]) {
                // 60 fps of 60 KB frames (3.6 MB/s): more than a fresh window carries over a 40 ms RTT.
                byte[] frame = new byte[60_000];
                random.nextBytes(frame);
                client.sendFrame(conn, stream[0], frame, now, now);
                sentFrames[0]++;
                nextFrameNs[0] = now + 1_000_000_000L / 60;
            }
            return clientEvents.stream().anyMatch(x -> x instanceof TransferCompleted || x instanceof TransferFailed);
        }, 60_000 * MS);
        assertThat(done).as("seed=%d events=%s", seed, clientEvents).isTrue();
        assertThat(clientEvents).as("seed=%d", seed).anyMatch(x -> x instanceof TransferCompleted);
        assertThat(items).singleElement().isEqualTo(item);
        assertThat(clientEvents).anyMatch(x -> x instanceof StreamOpened o && !o.incoming());
        List<StreamStats> stats = client.allStreamStats(net.nowNs());
        StreamStats s = stats.stream().filter(x -> !x.incoming()).findFirst().orElseThrow();
        assertThat(s.frames()).as("seed=%d stats=%s", seed, s).isPositive();
        assertThat(frames).as("seed=%d stats=%s: frames reached the receiver beside the item", seed, s)
                .hasSizeGreaterThan((int) (s.frames() / 2));
        assertThat(s.availableRateBytesPerSecond()).isPositive();
        assertThat(server.stats().internalErrors()).isZero();
        assertThat(client.stats().internalErrors()).isZero();
        client.closeStream(conn, stream[0], false, net.nowNs());
        boolean ended = net.runUntil(() -> {
            EndpointEvent e;
            while ((e = client.pollEvent()) != null) {
                clientEvents.add(e);
            }
            while (server.pollEvent() != null) {
                // drained
            }
            return clientEvents.stream().anyMatch(x -> x instanceof StreamEnded);
        }, net.nowNs() + 10_000 * MS);
        assertThat(ended).as("seed=%d: StreamEnded after close", seed).isTrue();
    }

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
