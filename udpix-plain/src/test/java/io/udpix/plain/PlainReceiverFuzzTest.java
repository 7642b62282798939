package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Jazzer targets for the plain-mode parser (docs/FUZZING.md): the sans-I/O {@link PlainReceiver} fed datagrams
 * from four senders (the header codecs have {@link PlainHeaderFormatFuzzTest}).
 *
 * <p>Receiver input: byte 0 picks the header format (low 2 bits) and whether items spill to disk early (bit 2);
 * then records {@code [sender u8][length u16 big-endian][length bytes]}; a sender byte with bit 7 set first lets
 * 11 s of silence pass (beyond the 10 s silence timeout). Invariants: nothing throws; every datagram gets at most one
 * reply (plus one notice per item discarded for silence or eviction), none longer than {@link PlainReceiver#MAX_REPLY_BYTES}; a completed item holds exactly its declared bytes;
 * open items never exceed the configured senders; closing leaves no spill file behind.
 */
class PlainReceiverFuzzTest {
    static final int MAX_RECORDS = 200;
    static final long SILENCE_NS = 11_000_000_000L;
    static final InetSocketAddress[] SENDERS = {
        new InetSocketAddress("10.0.0.1", 1), new InetSocketAddress("10.0.0.2", 2),
        new InetSocketAddress("10.0.0.3", 3), new InetSocketAddress("10.0.0.3", 4)};
    static final PlainHeaderFormat[] FORMATS = {PlainHeaderFormat.DEFAULT,
        new PlainHeaderFormat(8, ByteOrder.BIG_ENDIAN), new PlainHeaderFormat(4, ByteOrder.LITTLE_ENDIAN),
        new PlainHeaderFormat(4, ByteOrder.BIG_ENDIAN)};

    private static final Path SPILL = createSpillDirectory();
    private static final ByteBuffer REPLY = ByteBuffer.allocate(PlainReceiver.MAX_REPLY_BYTES);

    @FuzzTest(maxDuration = "10s")
    void anyDatagramsFromAnySendersGetBoundedRepliesAndExactItems(byte[] input) throws IOException {
        if (input.length < 1) {
            return;
        }
        PlainReceiverConfig config = PlainReceiverConfig.builder()
                .headerFormat(FORMATS[input[0] & 0x03])
                .maxItemBytes(100_000)
                .maxPendingBytes(150_000)
                .maxOpenSenders(3)
                .memoryPerItemBytes((input[0] & 0x04) != 0 ? 64 : 65_536)
                .memoryTotalBytes(200_000)
                .spillDirectory(SPILL)
                .maxQueuedItems(8)
                .maxQueuedReplies(16)
                .build();
        long nowNs = 0;
        int datagrams = 0;
        long replies = 0;
        try (PlainReceiver receiver = new PlainReceiver(config)) {
            int at = 1;
            for (int records = 0; records < MAX_RECORDS && at + 3 <= input.length; records++) {
                int sender = input[at] & 0xFF;
                int length = Math.min(((input[at + 1] & 0xFF) << 8) | (input[at + 2] & 0xFF), input.length - at - 3);
                ByteBuffer datagram = ByteBuffer.wrap(input, at + 3, length);
                at += 3 + length;
                if ((sender & 0x80) != 0) {
                    nowNs += SILENCE_NS;
                    receiver.handleTimeout(nowNs);
                }
                receiver.handleDatagram(SENDERS[sender & 0x03], datagram, nowNs);
                datagrams++;
                assertThat(datagram.hasRemaining()).as("the datagram is consumed").isFalse();
                assertThat(receiver.openItems()).as("open items").isBetween(0, config.maxOpenSenders());
                if (receiver.nextDeadlineNs() <= nowNs) {
                    receiver.handleTimeout(nowNs);
                }
                replies += drainReplies(receiver);
                drainItems(receiver);
            }
            // One reply per datagram, plus one unsolicited notice per item discarded for silence or eviction.
            long notices = receiver.counters().errors(PlainErrorReason.SILENCE)
                    + receiver.counters().errors(PlainErrorReason.EVICTED);
            assertThat(replies).as("replies to %d datagrams with %d notices", datagrams, notices)
                    .isLessThanOrEqualTo(datagrams + notices);
        }
        try (Stream<Path> left = Files.list(SPILL)) {
            assertThat(left).as("spill files left after close").isEmpty();
        }
    }

    private static int drainReplies(PlainReceiver receiver) {
        int count = 0;
        for (InetSocketAddress to = receiver.pollReply(REPLY); to != null; to = receiver.pollReply(REPLY)) {
            assertThat(REPLY.remaining()).as("reply length").isBetween(1, PlainReceiver.MAX_REPLY_BYTES);
            count++;
        }
        return count;
    }

    private static void drainItems(PlainReceiver receiver) throws IOException {
        for (PlainItem item = receiver.pollItem(); item != null; item = receiver.pollItem()) {
            try {
                assertThat(item.readAllBytes()).as("%s holds its declared bytes", item).hasSize(
                        Math.toIntExact(item.lengthBytes()));
            } finally {
                item.discard();
            }
        }
    }

    private static Path createSpillDirectory() {
        try {
            Path dir = Files.createTempDirectory("udpix-plain-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
