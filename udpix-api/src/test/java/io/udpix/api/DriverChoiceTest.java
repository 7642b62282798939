package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.driver.Drivers;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code driver(kind)} on both builders: the CLI's {@code --driver}. */
class DriverChoiceTest {

    @Test
    void serverAndClientRunOnTheNamedDriver() throws Exception {
        BlockingQueue<ReceivedItem> received = new ArrayBlockingQueue<>(4);
        try (UdpixServer server = UdpixServer.builder().port(0).driver("nio").onBytes(received::add).start();
             UdpixClient client = UdpixClient.builder(server.localAddresses().get(0)).driver("auto").connect()) {
            SendResult result = client.send(Item.bytes(new byte[] {1, 2, 3}, "three.bin"));

            assertThat(result.sizeBytes()).isEqualTo(3);
            ReceivedItem item = received.poll(10, TimeUnit.SECONDS);
            assertThat(item).isNotNull();
            assertThat(item.bytes()).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1, 2, 3));
        }
    }

    @Test
    void refusesAnUnknownDriverNamingTheKnownOnes() {
        assertThatThrownBy(() -> UdpixServer.builder().port(0).driver("warp").onBytes(item -> { }).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown driver 'warp'")
                .hasMessageContaining("nio");
        assertThatThrownBy(() -> UdpixClient.builder(new java.net.InetSocketAddress("127.0.0.1", 9)).driver("warp")
                .connect())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown driver 'warp'");
    }

    /**
     * Unset, both builders mean {@code auto}, so {@code -Dudpix.driver} (CI's per-driver passes) reaches them: on
     * loopback plain auto is NIO, so the property set to epoll must move both onto epoll threads.
     */
    @Test
    void theDriverPropertyReachesAServerAndAClientStartedWithoutADriverName() throws Exception {
        try {
            Drivers.resolve("epoll");
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("epoll cannot run here: " + e.getMessage());
        }
        String before = System.getProperty(Drivers.PROPERTY);
        System.setProperty(Drivers.PROPERTY, "epoll");
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            int serverPort = server.localAddresses().get(0).getPort();
            Set<String> threadsBefore = driverThreads();
            try (UdpixClient client = UdpixClient.builder(server.localAddresses().get(0)).connect()) {
                assertThat(client.send(Item.bytes(new byte[] {4}, "four.bin")).sizeBytes()).isEqualTo(1);
                Set<String> started = driverThreads();
                started.removeAll(threadsBefore);

                assertThat(threadsBefore).as("the server's driver thread").contains("udpix-epoll-" + serverPort);
                assertThat(started).as("the client's driver thread").hasSize(1)
                        .allSatisfy(name -> assertThat(name).startsWith("udpix-epoll-"));
            }
        } finally {
            if (before == null) {
                System.clearProperty(Drivers.PROPERTY);
            } else {
                System.setProperty(Drivers.PROPERTY, before);
            }
        }
    }

    private static Set<String> driverThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("udpix-nio-") || name.startsWith("udpix-epoll-"))
                .collect(Collectors.toSet());
    }
}
