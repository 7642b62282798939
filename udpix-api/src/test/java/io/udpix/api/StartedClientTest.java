package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link UdpixClient.Builder#start()}: items sent before the server answered wait in the engine (to leave with the
 * handshake's last message) and are delivered; a handshake that fails fails them with its cause.
 */
class StartedClientTest {
    private static final long WAIT_S = 30;

    @Test
    void anItemSentBeforeTheServerEvenListensIsDeliveredOnceItAnswers() throws Exception {
        InetSocketAddress address = freeLoopbackPort();
        byte[] payload = TestData.randomBytes(32 * 1024, TestSeeds.seed(31));
        CompletableFuture<ReceivedItem> received = new CompletableFuture<>();
        try (UdpixClient client = UdpixClient.builder(address).start()) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(payload, "early.bin"));
            assertThat(sent).as("no server yet").isNotDone();

            // HELLO is repeated every 0.25 s: the server started now gets one and the queued item follows FINISH.
            try (UdpixServer server = UdpixServer.builder().port(address.getPort()).onBytes(received::complete)
                    .start()) {
                assertThat(client.awaitConnected()).isSameAs(client);
                assertThat(sent.get(WAIT_S, TimeUnit.SECONDS).sha256Hex()).isEqualTo(TestData.sha256(payload));
                assertThat(received.get(WAIT_S, TimeUnit.SECONDS).bytes()).hasValue(payload);
                assertThat(client.awaitConnected()).as("again: returns at once").isSameAs(client);
            }
        }
    }

    @Test
    void aHandshakeThatGetsNoAnswerFailsAwaitConnectedAndTheQueuedItemWithTheSameCause() throws Exception {
        InetSocketAddress address = freeLoopbackPort();
        try (UdpixClient client = UdpixClient.builder(address).connectTimeout(Duration.ofMillis(600)).start()) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(new byte[100], "lost.bin"));

            assertThatThrownBy(client::awaitConnected).isInstanceOf(UdpixException.class)
                    .hasMessageContaining("no answer from").extracting(e -> ((UdpixException) e).kind())
                    .isEqualTo(UdpixException.Kind.UNREACHABLE);
            assertThatThrownBy(() -> sent.get(WAIT_S, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().hasMessageContaining("'lost.bin' was not delivered").hasMessageContaining("no answer");
        }
    }

    /** A loopback port nothing listens on (bound and released; the tests start their server on it later). */
    private static InetSocketAddress freeLoopbackPort() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
        }
    }
}
