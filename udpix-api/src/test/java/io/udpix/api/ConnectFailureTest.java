package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Failures to reach or to bind say what happened and what to do, in bounded time. */
class ConnectFailureTest {

    @Test
    void failsWithTheHandshakeMessageWithinTheConnectTimeoutWhenNoServerAnswers() throws Exception {
        // A bound socket that never answers: the port is certainly not a udpix server, and no ICMP comes back.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress target = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            long startNs = System.nanoTime();
            assertThatThrownBy(() -> UdpixClient.builder(target).connectTimeout(Duration.ofSeconds(1)).connect())
                    .isInstanceOfSatisfying(UdpixException.class, e -> {
                        assertThat(e.kind()).isEqualTo(UdpixException.Kind.UNREACHABLE);
                        assertThat(e.kind().exitCode()).isEqualTo(3);
                    })
                    .hasMessage("no answer from 127.0.0.1:" + target.getPort()
                            + " within 1 s; is `udpix serve` running there?");
            long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            // At least the timeout, and nowhere near the 10 s default.
            assertThat(elapsedMs).isBetween(900L, 8_000L);
        }
    }

    @Test
    void namesThePortAndTheFixWhenThePortIsInUse() throws Exception {
        try (UdpixServer first = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            int port = first.localAddresses().get(0).getPort();
            assertThatThrownBy(() -> UdpixServer.builder().port(0).port(port).onBytes(item -> { }).start())
                    .isInstanceOfSatisfying(UdpixException.class,
                            e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.CANNOT_BIND))
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("--port");
        }
    }

    @Test
    void failsAsUnreachableWhenTheServerTakesNoMoreConnections() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).maxConnections(1).onBytes(item -> { }).start();
                UdpixClient first = UdpixClient.connect(server.localAddresses().get(0))) {
            assertThatThrownBy(() -> UdpixClient.builder(server.localAddresses().get(0))
                    .connectTimeout(Duration.ofSeconds(5)).connect())
                    .isInstanceOfSatisfying(UdpixException.class,
                            e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.UNREACHABLE))
                    .hasMessageContaining("busy");
            // The first client is unaffected.
            first.send(Item.bytes(new byte[] {1}, "one.bin"));
        }
    }
}
