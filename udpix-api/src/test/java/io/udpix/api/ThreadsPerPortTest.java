package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several driver threads on one port (SO_REUSEPORT): one address, every client's items intact. */
class ThreadsPerPortTest {

    @Test
    void servesOnePortWithSeveralThreadsAndEveryClientsItemsArriveIntact() throws Exception {
        long seed = TestSeeds.seed(51);
        Random random = new Random(seed);
        Set<String> received = ConcurrentHashMap.newKeySet();
        List<byte[]> payloads = new ArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).threadsPerPort(3)
                .onBytes(item -> received.add(item.name() + ":" + item.sha256Hex())).start()) {
            assertThat(server.localAddresses()).hasSize(1);
            InetSocketAddress address = server.localAddresses().get(0);
            assertThat(driverThreadsOn(address.getPort())).as("sockets bound to the port").isEqualTo(3);
            List<UdpixClient> clients = new ArrayList<>();
            try {
                for (int c = 0; c < 12; c++) {
                    clients.add(UdpixClient.connect(address));
                }
                List<java.util.concurrent.CompletableFuture<SendResult>> sends = new ArrayList<>();
                for (int c = 0; c < clients.size(); c++) {
                    byte[] payload = new byte[1 + random.nextInt(300_000)];
                    random.nextBytes(payload);
                    payloads.add(payload);
                    sends.add(clients.get(c).sendAsync(Item.bytes(payload, "client-" + c + ".bin")));
                }
                for (var send : sends) {
                    send.get(60, TimeUnit.SECONDS);
                }
            } finally {
                clients.forEach(UdpixClient::close);
            }
            for (int c = 0; c < payloads.size(); c++) {
                String expected = "client-" + c + ".bin:" + TestData.sha256(payloads.get(c));
                long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!received.contains(expected) && System.nanoTime() < deadlineNs) {
                    Thread.sleep(10);
                }
                assertThat(received).as("seed=%d", seed).contains(expected);
            }
        }
    }

    @Test
    void stillRefusesAPortThatAnotherServerHolds() throws Exception {
        try (UdpixServer first = UdpixServer.builder().port(0).start()) {
            int port = first.localAddresses().get(0).getPort();

            assertThatThrownBy(() -> UdpixServer.builder().port(port).threadsPerPort(2).start())
                    .isInstanceOf(UdpixException.class).hasMessageContaining(Integer.toString(port));
        }
    }

    @Test
    void refusesAThreadCountOutOfRange() {
        assertThatThrownBy(() -> UdpixServer.builder().threadsPerPort(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..64");
    }

    private static long driverThreadsOn(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("udpix-") && t.getName().endsWith("-" + port)).count();
    }
}
