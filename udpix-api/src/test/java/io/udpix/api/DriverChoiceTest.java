package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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
}
