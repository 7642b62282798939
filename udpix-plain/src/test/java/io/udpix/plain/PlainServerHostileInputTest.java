package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attacks through real sockets on loopback, from raw clients that write the plain format byte by byte. */
class PlainServerHostileInputTest {
    private static final long GIB = 1L << 30;

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);
    private final BlockingQueue<PlainItem> items = new ArrayBlockingQueue<>(64);
    private final List<DatagramChannel> attackers = new ArrayList<>();
    private PlainServer server;

    @TempDir
    Path out;

    @AfterEach
    void stop() throws IOException {
        for (DatagramChannel c : attackers) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void oneByteDatagramsGetNoReplyAndGarbageGetsAReplyNoLargerThanItself() throws Exception {
        server = PlainServer.start(new InetSocketAddress("127.0.0.1", 0), PlainReceiverConfig.defaults(), items::add);
        DatagramChannel attacker = attacker("127.0.0.1");
        for (int i = 0; i < 3; i++) {
            attacker.send(ByteBuffer.wrap(new byte[] {(byte) i}), server.localAddress());
        }
        byte[] garbage = new byte[12];
        random.nextBytes(garbage);
        garbage[0] = 0;
        attacker.send(ByteBuffer.wrap(garbage), server.localAddress());
        String first = readReply(attacker);
        assertThat(first).as("the first reply answers the 12-byte datagram: the 1-byte ones got none")
                .isEqualTo("error: datag");
        assertThat(server.counters().repliesOmitted()).isEqualTo(3);
        assertThat(server.counters().errors(PlainErrorReason.GARBAGE)).isEqualTo(4);
    }

    @Test
    void threeSendersHoldingAGibibyteClaimEachDoNotStopAFourthSendersImage() throws Exception {
        PlainReceiverConfig config = PlainReceiverConfig.builder().maxPendingBytes(4 * GIB)
                .spillDirectory(PlainSpillDirectory.prepare(out)).build();
        server = PlainServer.start(new InetSocketAddress("127.0.0.1", 0), config, items::add);
        for (int i = 2; i <= 5; i++) {
            DatagramChannel attacker = attacker("127.0.0." + i);
            attacker.send(ByteBuffer.wrap(PlainHeaderFormat.DEFAULT.encode(GIB)), server.localAddress());
            assertThat(readReply(attacker)).as("attacker 127.0.0.%d", i).isEqualTo(i <= 4 ? "received" : "error: r");
        }
        byte[] jpg = TestImages.noise("jpg", 160, 120, random);
        try (PlainSender sender = PlainSender.open(server.localAddress(),
                PlainSendOptions.DEFAULTS.withChunkBytes(1024))) {
            PlainSendResult result = sender.sendBytes(jpg);
            assertThat(result.chunked()).isTrue();
        }
        PlainItem item = items.poll(30, TimeUnit.SECONDS);
        assertThat(item).as("seed=" + seed + " counters: " + server.counters()).isNotNull();
        assertThat(item.readAllBytes()).isEqualTo(jpg);
        assertThat(server.counters().errors(PlainErrorReason.BUSY)).isEqualTo(1);
    }

    private DatagramChannel attacker(String address) throws IOException {
        DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress(address, 0));
        c.socket().setSoTimeout(10_000);
        attackers.add(c);
        return c;
    }

    private static String readReply(DatagramChannel client) throws IOException {
        java.net.DatagramPacket packet = new java.net.DatagramPacket(new byte[2048], 2048);
        try {
            client.socket().receive(packet);
        } catch (SocketTimeoutException e) {
            return "(no reply)";
        }
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }
}
