package io.udpix.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.testkit.LinkPair;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Simulator;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The client's handshake ({@link Handshake}) in the simulator. */
class HandshakeTest {
    private static final long MS = 1_000_000L;

    @Test
    void aClientWhoseFirstHelloIsTooLargeForThePathTakesItsRttFromTheAcceptOfTheSmallOne() {
        // IPv4's minimum MTU: the first HELLO (the initial datagram size) is dropped, the second (548 bytes) gets
        // through. The ACCEPT names the 548-byte HELLO, the only one of its size, so its round trip is a clean RTT
        // sample; without it the first DATA packets' PTO and FINISH's resend interval assumed 333 ms.
        LinkSpec path = LinkSpec.builder().rateBitsPerSecond(50_000_000L).delayNs(7 * MS).mtuBytes(576).build();
        Simulator sim = new Simulator(11);
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(1).build(),
                SinkFactory.refuseAll());
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(2).build(), SinkFactory.refuseAll());
        InetSocketAddress serverAddress = sim.newAddress();
        InetSocketAddress clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        LinkPair links = sim.routeBoth(clientAddress, serverAddress, path, path);
        boolean[] established = {false};
        sim.onEvents(clientAddress, e -> established[0] |= e instanceof ConnectionEstablished);
        long connectionId = client.connect(serverAddress, sim.nowNs());
        sim.runUntil(() -> established[0], 5_000_000_000L);

        assertThat(established[0]).isTrue();
        assertThat(links.aToB().stats().droppedMtu()).as("the first HELLO was too large").isPositive();
        long srttNs = client.connectionStats(connectionId).rttNsSmoothed();
        assertThat(srttNs).as("the client's smoothed RTT right after the handshake (the path's is 14 ms)")
                .isBetween(14 * MS, 16 * MS);
    }
}
