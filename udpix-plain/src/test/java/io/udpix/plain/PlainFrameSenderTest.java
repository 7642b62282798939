package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plain mode's one-datagram frames on loopback: whole items at the plain receiver, replies counted, never awaited. */
class PlainFrameSenderTest {

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);

    @Test
    void eachFrameArrivesAsOneWholeItemAndTheRepliesAreCountedAsTheyCome() throws Exception {
        BlockingQueue<PlainItem> items = new ArrayBlockingQueue<>(64);
        byte[][] frames = new byte[5][];
        try (PlainServer server = PlainServer.start(new InetSocketAddress("127.0.0.1", 0),
                PlainReceiverConfig.defaults(), items::add);
             PlainFrameSender sender = PlainFrameSender.open(server.localAddress())) {
            for (int i = 0; i < frames.length; i++) {
                frames[i] = TestImages.noise("jpg", 120, 90, random);
                assertThat(sender.send(frames[i])).isTrue();
            }
            for (byte[] frame : frames) {
                PlainItem item = items.poll(10, TimeUnit.SECONDS);
                assertThat(item).as("seed=%d counters %s", seed, server.counters()).isNotNull();
                assertThat(item.kind()).isEqualTo(PlainItemKind.IMAGE);
                assertThat(item.readAllBytes()).as("seed=%d", seed).isEqualTo(frame);
            }
            long untilNs = System.nanoTime() + 5_000_000_000L;
            while (sender.replies() < frames.length && System.nanoTime() - untilNs < 0) {
                Thread.sleep(5);
                sender.pollReplies();
            }
            assertThat(sender.framesSent()).isEqualTo(frames.length);
            assertThat(sender.replies()).isEqualTo(frames.length);
            assertThat(sender.errorReplies()).isZero();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // A sender that waited for replies would hang here.
    void sendingToAReceiverThatNeverAnswersNeverWaits() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             PlainFrameSender sender = PlainFrameSender.open(new InetSocketAddress("127.0.0.1",
                     silent.getLocalPort()))) {
            silent.setReceiveBufferSize(4 << 20);
            byte[] frame = TestImages.noise("jpg", 64, 48, random);
            for (int i = 0; i < 200; i++) {
                sender.send(frame);
            }
            assertThat(sender.framesSent() + sender.socketFull()).isEqualTo(200);
            assertThat(sender.replies()).isZero();
        }
    }

    @Test
    void refusesFramesThatAPlainReceiverWouldNotTakeAsOneDatagram() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             PlainFrameSender sender = PlainFrameSender.open(new InetSocketAddress("127.0.0.1",
                     silent.getLocalPort()))) {
            byte[] tooLarge = new byte[PlainFrameSender.MAX_DATAGRAM_BYTES + 1];
            tooLarge[0] = (byte) 0xFF;
            tooLarge[1] = (byte) 0xD8;
            tooLarge[2] = (byte) 0xFF;
            assertThatThrownBy(() -> sender.send(tooLarge)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("does not fit one datagram (65507 bytes at most)");
            assertThatThrownBy(() -> sender.send(new byte[100])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not an image a plain receiver takes as one datagram");
            assertThat(sender.framesSent()).isZero();
        }
    }
}
