package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Anti-amplification: a sender with no accepted header never gets a reply larger than its datagram. */
class PlainReceiverReplySizeTest {
    private static final InetSocketAddress SPOOFED = new InetSocketAddress("127.0.0.5", 5353);

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);

    @Test
    void aOneByteDatagramGetsNoReplyAndIsCounted() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            h.send(SPOOFED, new byte[] {42});
            assertThat(h.replies()).isEmpty();
            assertThat(h.receiver.counters().errors(PlainErrorReason.GARBAGE)).isEqualTo(1);
            assertThat(h.receiver.counters().repliesOmitted()).isEqualTo(1);
        }
    }

    @Test
    void randomDatagramsFromSendersWithoutAnAcceptedHeaderNeverGetALargerReply() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder().replyText("x".repeat(1024))
                .build())) {
            long repliedBytes = 0;
            long sentBytes = 0;
            for (int i = 0; i < 20_000; i++) {
                // Fresh port each time: no header of this sender was accepted before.
                InetSocketAddress from = new InetSocketAddress("127.0.0." + (1 + random.nextInt(200)), 1 + i);
                byte[] datagram = randomDatagram();
                h.send(from, datagram);
                sentBytes += datagram.length;
                for (ReceiverHarness.Reply reply : h.replies()) {
                    if (h.receiver.openBySender().containsKey(from)) {
                        continue; // an accepted header: the sender is known from now on
                    }
                    assertThat(reply.bytes().length).as("reply to %d bytes; seed=%d", datagram.length, seed)
                            .isLessThanOrEqualTo(datagram.length);
                    repliedBytes += reply.bytes().length;
                }
                h.drainItems();
                h.receiver.close();
            }
            assertThat(repliedBytes).isLessThanOrEqualTo(sentBytes);
        }
    }

    @Test
    void aSenderWhoseHeaderWasAcceptedGetsWholeReplies() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            InetSocketAddress known = new InetSocketAddress("127.0.0.1", 40001);
            h.send(known, PlainHeaderFormat.DEFAULT.encode(3));
            h.send(known, new byte[] {1});
            h.send(known, new byte[] {2, 3, 4});
            List<ReceiverHarness.Reply> replies = h.replies();
            assertThat(replies).extracting(ReceiverHarness.Reply::text).containsExactly("received", "received",
                    "error: datagram of 3 bytes overruns the declared length 3 by 1 bytes; item discarded");
            assertThat(h.receiver.counters().repliesCut()).isZero();
        }
    }

    @Test
    void aFourByteHeaderIsAnsweredWholeWhenAcceptedAndNotAtAllWhenRefused() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder()
                .headerFormat(PlainHeaderFormat.parse("4le")).maxItemBytes(1000).build())) {
            h.send(SPOOFED, PlainHeaderFormat.parse("4le").encode(5000));
            assertThat(h.replies()).as("'error' does not fit in 4 bytes").isEmpty();
            h.send(SPOOFED, PlainHeaderFormat.parse("4le").encode(500));
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsExactly("received");
        }
    }

    @Test
    void aShortJsonMessageIsAcceptedWithAReplyCutToItsSize() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            h.send(SPOOFED, "{}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsExactly("re");
            assertThat(h.receiver.pollItem().kind()).isEqualTo(PlainItemKind.JSON);
            assertThat(h.receiver.counters().repliesCut()).isEqualTo(1);
        }
    }

    private byte[] randomDatagram() {
        int kind = random.nextInt(4);
        byte[] b = new byte[kind == 0 ? 8 : random.nextInt(kind == 1 ? 16 : 2000)];
        random.nextBytes(b);
        if (kind == 3 && b.length > 2) {
            b[0] = '[';
            b[b.length - 1] = ']';
            for (int i = 1; i < b.length - 1; i++) {
                b[i] = ' ';
            }
        }
        return b;
    }
}
