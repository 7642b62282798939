package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTransferTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);

    static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @ParameterizedTest(name = "size={0} loss={1} seed={2}")
    @CsvSource({"0,0,1", "1,0,1", "5000,0,2", "1000000,0,3", "1000000,0.05,4", "300000,0.3,5"})
    void deliversAnItemByteForByte(int size, double loss, long seed) throws Exception {
        byte[] payload = new byte[size];
        new SplittableRandom(seed).nextBytes(payload);
        List<byte[]> received = new ArrayList<>();
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), received::add));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(),
                io.udpix.engine.transfer.SinkFactory.refuseAll());
        MiniNet net = new MiniNet(seed, 10_000_000L, loss);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        long conn = client.connect(SERVER, 0);
        client.send(conn, new TransferRequest(new TransferInfo(TransferKind.FILE, "f.bin", "application/octet-stream",
                size, sha256(payload)), new ByteArraySource(payload)), 0);
        List<EndpointEvent> clientEvents = new ArrayList<>();
        boolean done = net.runUntil(() -> {
            EndpointEvent e;
            while ((e = client.pollEvent()) != null) {
                clientEvents.add(e);
            }
            while (server.pollEvent() != null) {
                // drained
            }
            return clientEvents.stream().anyMatch(x -> x instanceof TransferCompleted || x instanceof TransferFailed);
        }, 120_000_000_000L);
        assertThat(done).as("seed=%d events=%s server=%s client=%s", seed, clientEvents, server.stats(),
                client.stats()).isTrue();
        assertThat(clientEvents).as("seed=%d", seed).anyMatch(x -> x instanceof TransferCompleted);
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).isEqualTo(payload);
        assertThat(server.stats().internalErrors()).isZero();
        assertThat(client.stats().internalErrors()).isZero();
    }

    /**
     * The drivers hand the engine direct buffers, which the engine seals, opens and parses through a heap stage
     * (HeapStage): with loss (retransmissions, probes, ACK-only packets) and with the hash known up front or
     * following the data, every byte still arrives and no packet fails authentication.
     */
    @ParameterizedTest(name = "size={0} loss={1} seed={2} digestFollows={3}")
    @CsvSource({"1000000,0,11,false", "1000000,0.05,12,true", "300000,0.3,13,true", "1,0,14,true"})
    void deliversAnItemThroughDirectBuffersByteForByte(int size, double loss, long seed, boolean digestFollows)
            throws Exception {
        byte[] payload = new byte[size];
        new SplittableRandom(seed).nextBytes(payload);
        List<byte[]> received = new ArrayList<>();
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), received::add));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(),
                io.udpix.engine.transfer.SinkFactory.refuseAll());
        MiniNet net = new MiniNet(seed, 10_000_000L, loss, true);
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        long conn = client.connect(SERVER, 0);
        client.send(conn, new TransferRequest(new TransferInfo(TransferKind.FILE, "f.bin", "application/octet-stream",
                size, digestFollows ? null : sha256(payload)), new ByteArraySource(payload)), 0);
        List<EndpointEvent> clientEvents = new ArrayList<>();
        boolean done = net.runUntil(() -> {
            EndpointEvent e;
            while ((e = client.pollEvent()) != null) {
                clientEvents.add(e);
            }
            while (server.pollEvent() != null) {
                // drained
            }
            return clientEvents.stream().anyMatch(x -> x instanceof TransferCompleted || x instanceof TransferFailed);
        }, 120_000_000_000L);
        assertThat(done).as("seed=%d events=%s", seed, clientEvents).isTrue();
        assertThat(clientEvents).as("seed=%d", seed).anyMatch(x -> x instanceof TransferCompleted);
        assertThat(received).as("seed=%d", seed).hasSize(1);
        assertThat(received.get(0)).as("seed=%d", seed).isEqualTo(payload);
        assertThat(server.stats().drops(DropReason.AUTHENTICATION_FAILED)).as("seed=%d", seed).isZero();
        assertThat(client.stats().drops(DropReason.AUTHENTICATION_FAILED)).as("seed=%d", seed).isZero();
        assertThat(server.stats().internalErrors()).isZero();
        assertThat(client.stats().internalErrors()).isZero();
    }
}
