package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each configurable limit holds, is counted when hit, and the sender learns why. */
class EndpointLimitsTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);

    private static TransferRequest item(int size) throws Exception {
        byte[] payload = new byte[size];
        return new TransferRequest(new TransferInfo(TransferKind.BYTES, "x.bin", "application/octet-stream", size,
                EndpointTransferTest.sha256(payload)), new ByteArraySource(payload));
    }

    private static List<EndpointEvent> drain(Endpoint e, List<EndpointEvent> into) {
        EndpointEvent ev;
        while ((ev = e.pollEvent()) != null) {
            into.add(ev);
        }
        return into;
    }

    @Test
    void anItemAboveTheSizeLimitIsRefusedAndCounted() throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).maxItemBytes(1000).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(2).build(), SinkFactory.refuseAll());
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(SERVER, server);
        InetSocketAddress clientAddress = new InetSocketAddress("10.0.0.2", 1);
        net.attach(clientAddress, client);
        long conn = client.connect(SERVER, 0);
        client.send(conn, item(5000), 0);
        List<EndpointEvent> events = new ArrayList<>();
        net.runUntil(() -> drain(client, events).stream().anyMatch(e -> e instanceof TransferFailed), 10_000_000_000L);
        TransferFailed failed = (TransferFailed) events.stream().filter(e -> e instanceof TransferFailed)
                .findFirst().orElseThrow();
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(failed.reason()).contains("5000").contains("1000");
        assertThat(server.stats().drops(DropReason.ITEM_TOO_LARGE)).isEqualTo(1);
    }

    @Test
    void theConnectionLimitTurnsAwayTheNextClientWithServerBusy() throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).maxConnections(1).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(SERVER, server);
        List<List<EndpointEvent>> events = new ArrayList<>();
        List<Endpoint> clients = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Endpoint client = new Endpoint(EndpointConfig.builder().seed(10 + i).build(), SinkFactory.refuseAll());
            net.attach(new InetSocketAddress("10.0.0." + (2 + i), 1), client);
            client.send(client.connect(SERVER, 0), item(100), 0);
            clients.add(client);
            events.add(new ArrayList<>());
        }
        net.runUntil(() -> {
            boolean all = true;
            for (int i = 0; i < 2; i++) {
                all &= drain(clients.get(i), events.get(i)).stream()
                        .anyMatch(e -> e instanceof TransferFailed || e instanceof TransferCompleted);
            }
            return all;
        }, 30_000_000_000L);
        long completed = events.stream().filter(l -> l.stream().anyMatch(e -> e instanceof TransferCompleted)).count();
        assertThat(completed).isEqualTo(1);
        TransferFailed busy = events.stream().flatMap(List::stream).filter(e -> e instanceof TransferFailed)
                .map(e -> (TransferFailed) e).findFirst().orElseThrow();
        assertThat(busy.errorCode()).isEqualTo(ErrorCode.SERVER_BUSY);
        assertThat(server.stats().drops(DropReason.CONNECTION_LIMIT)).isGreaterThan(0);
        assertThat(server.connectionCount()).isLessThanOrEqualTo(1);
    }

    @Test
    void theBytesInFlightLimitSlowsButDoesNotStopATransfer() throws Exception {
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), b -> { }));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(3).maxBytesInFlight(8_000).build(),
                SinkFactory.refuseAll());
        MiniNet net = new MiniNet(1, 10_000_000L, 0);
        net.attach(SERVER, server);
        net.attach(new InetSocketAddress("10.0.0.2", 1), client);
        long conn = client.connect(SERVER, 0);
        client.send(conn, item(300_000), 0);
        List<EndpointEvent> events = new ArrayList<>();
        boolean done = net.runUntil(() -> drain(client, events).stream().anyMatch(e -> e instanceof TransferCompleted),
                60_000_000_000L);
        assertThat(done).isTrue();
        assertThat(client.stats().inFlightLimitHits()).isGreaterThan(0);
    }

    @Test
    void anIdleTimeoutClosesTheConnectionAndIsCounted() throws Exception {
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(4).handshakeTimeoutNs(2_000_000_000L).build(),
                SinkFactory.refuseAll());
        MiniNet net = new MiniNet(1, 1_000_000L, 0);
        net.attach(new InetSocketAddress("10.0.0.2", 1), client);
        client.send(client.connect(SERVER, 0), item(10), 0);
        List<EndpointEvent> events = new ArrayList<>();
        net.runUntil(() -> drain(client, events).stream().anyMatch(e -> e instanceof TransferFailed), 10_000_000_000L);
        TransferFailed failed = (TransferFailed) events.stream().filter(e -> e instanceof TransferFailed)
                .findFirst().orElseThrow();
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.HANDSHAKE_TIMEOUT);
        assertThat(failed.reason()).contains("no answer from").contains("2000 ms");
        assertThat(client.stats().handshakeTimeouts()).isEqualTo(1);
        assertThat(net.nowNs()).isLessThanOrEqualTo(2_100_000_000L);
    }
}
