package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.stream.StreamOptions;
import io.udpix.driver.Driver;
import io.udpix.driver.DriverStats;
import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.wire.ErrorCode;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class OutgoingFrameStreamTest {

    @Test
    void anApplicationFasterThanTheDriverQueuesOneHandOverAndOnlyTheNewestFrameReachesTheEngine()
            throws UdpixException {
        ManualDriver driver = new ManualDriver();
        OutgoingFrameStream stream = stream(driver);
        for (int i = 0; i < 100; i++) {
            stream.send(new byte[] {(byte) i});
        }
        assertThat(driver.commands).as("hand-over commands queued").hasSize(1);
        assertThat(stream.stats().droppedAtSource()).isEqualTo(99);
        driver.runAll();
        // The slot is empty again: the next frame queues a new hand-over.
        stream.send(new byte[] {1});
        assertThat(driver.commands).hasSize(1);
        assertThat(stream.stats().droppedAtSource()).isEqualTo(99);
    }

    @Test
    void sendingImagesEncodesThemAsJpegScaledToTheOptionsSize() throws Exception {
        ManualDriver driver = new ManualDriver();
        OutgoingFrameStream stream = new OutgoingFrameStream(driver, endpoint(), 1, StreamOptions.builder()
                .size(64, 48).build(), "127.0.0.1:9");
        stream.assignId(1);
        stream.send(new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB));
        assertThat(stream.encodedSize()).containsExactly(64, 48);
        assertThat(stream.quality()).isBetween(1, 85);
    }

    @Test
    void aStreamTheServerEndedFailsTheNextSendWithTheServersReason() {
        ManualDriver driver = new ManualDriver();
        OutgoingFrameStream stream = stream(driver);
        stream.onEnded(null, ErrorCode.REFUSED, "the server does not take frame streams");
        assertThatThrownBy(() -> stream.send(new byte[] {1}))
                .isInstanceOf(UdpixException.class)
                .hasMessageContaining("stream 1 to 127.0.0.1:9 ended: the server does not take frame streams")
                .satisfies(e -> assertThat(((UdpixException) e).kind()).isEqualTo(UdpixException.Kind.REFUSED));
        assertThat(stream.ended()).isDone();
        assertThat(stream.failure()).isPresent();
    }

    @Test
    void aClosedStreamRefusesFramesAndSaysToOpenANewOne() {
        OutgoingFrameStream stream = stream(new ManualDriver());
        stream.close();
        assertThatThrownBy(() -> stream.send(new byte[] {1})).hasMessageContaining("was closed; open a new one");
    }

    private static OutgoingFrameStream stream(ManualDriver driver) {
        OutgoingFrameStream stream = new OutgoingFrameStream(driver, endpoint(), 1, StreamOptions.defaults(),
                "127.0.0.1:9");
        stream.assignId(1);
        return stream;
    }

    private static Endpoint endpoint() {
        return new Endpoint(EndpointConfig.builder().acceptConnections(false).seed(1).build(),
                SinkFactory.refuseAll());
    }

    /** A driver whose commands run only when the test says so. */
    private static final class ManualDriver implements Driver<Endpoint> {
        final ArrayDeque<Consumer<? super Endpoint>> commands = new ArrayDeque<>();

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public void execute(Consumer<? super Endpoint> command) {
            commands.add(command);
        }

        @Override
        public <T> CompletableFuture<T> call(Function<? super Endpoint, ? extends T> function) {
            return CompletableFuture.completedFuture(function.apply(null));
        }

        void runAll() {
            for (Consumer<? super Endpoint> c = commands.poll(); c != null; c = commands.poll()) {
                c.accept(null);
            }
        }

        @Override
        public String kind() {
            return "manual";
        }

        @Override
        public DriverStats stats() {
            throw new UnsupportedOperationException("the manual driver has no socket and counts nothing");
        }

        @Override
        public void close() {
        }
    }
}
