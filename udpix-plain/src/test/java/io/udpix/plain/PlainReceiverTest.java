package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainReceiverTest {
    private static final InetSocketAddress ALICE = new InetSocketAddress("127.0.0.1", 40001);
    // Three addresses: one address may hold only a share of the receiver's budgets (PlainReceiverSharesTest).
    private static final InetSocketAddress BOB = new InetSocketAddress("127.0.0.2", 40002);
    private static final InetSocketAddress CAROL = new InetSocketAddress("127.0.0.3", 40003);
    private static final long SECOND_NS = 1_000_000_000L;

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);
    private final ByteBuffer replyBuffer = ByteBuffer.allocate(PlainReceiver.MAX_REPLY_BYTES);
    private PlainReceiver receiver = new PlainReceiver(PlainReceiverConfig.defaults());
    private long nowNs = 5 * SECOND_NS;

    @TempDir
    Path spillDir;

    @AfterEach
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void storesAOneShotImageAsOneItem() throws IOException {
        byte[] png = TestImages.noise("png", 40, 40, random);
        send(ALICE, png);
        assertThat(replies()).containsExactly(new Reply(ALICE, "received"));
        PlainItem item = receiver.pollItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.IMAGE);
        assertThat(item.extension()).isEqualTo("png");
        assertThat(item.from()).isEqualTo(ALICE);
        assertThat(item.readAllBytes()).isEqualTo(png);
        assertThat(receiver.pollItem()).isNull();
        assertThat(receiver.counters().items(PlainItemKind.IMAGE)).isEqualTo(1);
    }

    @Test
    void anEmptyDatagramBeforeAnItemsFirstDataByteIsRepliedToAndTheItemStillCompletes() throws IOException {
        // Found by PlainReceiverFuzzTest: the 0-byte datagram threw NullPointerException out of handleDatagram.
        byte[] data = {1, 2, 3, 4, 5};
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(data.length));
        send(ALICE, new byte[0]);
        send(ALICE, data);
        assertThat(replies()).hasSize(3).allMatch(r -> r.text().equals("received"));
        assertThat(receiver.pollItem().readAllBytes()).isEqualTo(data);
    }

    @Test
    void storesAJsonDatagramAsOneMessage() throws IOException {
        byte[] json = "{\"id\": 7, \"tags\": [\"a\", \"b\"]}".getBytes(StandardCharsets.UTF_8);
        send(BOB, json);
        assertThat(replies()).containsExactly(new Reply(BOB, "received"));
        PlainItem item = receiver.pollItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.JSON);
        assertThat(item.extension()).isEqualTo("json");
        assertThat(item.readAllBytes()).isEqualTo(json);
    }

    @Test
    void assemblesAChunkedItemAfterAnEightByteLittleEndianHeader() throws IOException {
        byte[] jpg = TestImages.noise("jpg", 120, 90, random);
        List<byte[]> datagrams = chunked(PlainHeaderFormat.DEFAULT, jpg, 1024);
        for (int i = 0; i < datagrams.size(); i++) {
            assertThat(receiver.pollItem()).as("no item before the last piece").isNull();
            send(ALICE, datagrams.get(i));
        }
        assertThat(replies()).hasSize(datagrams.size()).allMatch(r -> r.text().equals("received"));
        PlainItem item = receiver.pollItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.IMAGE);
        assertThat(item.extension()).isEqualTo("jpg");
        assertThat(item.readAllBytes()).isEqualTo(jpg);
        assertThat(receiver.openItems()).isZero();
        assertThat(receiver.memoryInUseBytes()).isZero();
    }

    @Test
    void assemblesAChunkedItemAfterAFourByteBigEndianHeader() throws IOException {
        PlainHeaderFormat format = PlainHeaderFormat.parse("4be");
        receiver = new PlainReceiver(PlainReceiverConfig.builder().headerFormat(format).build());
        byte[] data = randomBytes(5000);
        for (byte[] d : chunked(format, data, 700)) {
            send(ALICE, d);
        }
        PlainItem item = receiver.pollItem();
        assertThat(item.kind()).isEqualTo(PlainItemKind.BYTES);
        assertThat(item.extension()).isEqualTo("bin");
        assertThat(item.readAllBytes()).isEqualTo(data);
        assertThat(receiver.counters().errors()).isZero();
    }

    @Test
    void keepsTwoSendersInterleavedChunkedItemsApart() throws IOException {
        byte[] a = TestImages.noise("png", 60, 60, random);
        byte[] b = TestImages.noise("bmp", 50, 40, random);
        List<byte[]> fromA = chunked(PlainHeaderFormat.DEFAULT, a, 1 + random.nextInt(2000));
        List<byte[]> fromB = chunked(PlainHeaderFormat.DEFAULT, b, 1 + random.nextInt(2000));
        int ia = 0;
        int ib = 0;
        while (ia < fromA.size() || ib < fromB.size()) {
            boolean pickA = ib == fromB.size() || (ia < fromA.size() && random.nextBoolean());
            if (pickA) {
                send(ALICE, fromA.get(ia++));
            } else {
                send(BOB, fromB.get(ib++));
            }
        }
        List<PlainItem> items = new ArrayList<>();
        for (PlainItem i = receiver.pollItem(); i != null; i = receiver.pollItem()) {
            items.add(i);
        }
        assertThat(items).as("seed=" + seed).hasSize(2);
        for (PlainItem item : items) {
            byte[] expected = item.from().equals(ALICE) ? a : b;
            assertThat(item.readAllBytes()).as("item from " + item.from() + " seed=" + seed).isEqualTo(expected);
        }
        assertThat(receiver.counters().errors()).as("seed=" + seed).isZero();
    }

    @Test
    void takesDatagramsThatLookLikeJsonHeadersOrImagesAsDataWhileAnItemIsOpen() throws IOException {
        byte[] json = "{\"looks\": \"like a message\"}".getBytes(StandardCharsets.UTF_8);
        byte[] header = PlainHeaderFormat.DEFAULT.encode(12);
        byte[] png = TestImages.noise("png", 10, 10, random);
        byte[] whole = concat(json, header, png);
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(whole.length));
        send(ALICE, json);
        send(ALICE, header);
        assertThat(receiver.pollItem()).isNull();
        send(ALICE, png);
        PlainItem item = receiver.pollItem();
        assertThat(item.readAllBytes()).isEqualTo(whole);
        assertThat(item.kind()).isEqualTo(PlainItemKind.BYTES);
        assertThat(receiver.pollItem()).as("no message or image of its own").isNull();
        assertThat(replies()).hasSize(4).allMatch(r -> r.text().equals("received"));
    }

    @Test
    void refusesAHeaderDeclaringTwoToTheSixtySecondBytesAndThenStoresANormalItem() throws IOException {
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(1L << 62));
        // Cut to the header's 8 bytes: ALICE's header was not accepted, so the reply may not be larger.
        assertThat(replies()).containsExactly(new Reply(ALICE, cut(8,
                "error: declared length 4611686018427387904 exceeds --max-size 1073741824")));
        assertThat(receiver.openItems()).isZero();
        assertThat(receiver.counters().errors(PlainErrorReason.LENGTH_TOO_LARGE)).isEqualTo(1);

        byte[] data = randomBytes(3000);
        for (byte[] d : chunked(PlainHeaderFormat.DEFAULT, data, 1024)) {
            send(ALICE, d);
        }
        assertThat(receiver.pollItem().readAllBytes()).isEqualTo(data);
    }

    @Test
    void refusesNegativeAndZeroDeclaredLengths() {
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(0));
        byte[] minusOne = {-1, -1, -1, -1, -1, -1, -1, -1};
        send(BOB, minusOne);
        List<Reply> replies = replies();
        assertThat(replies).extracting(Reply::text).containsExactly(cut(8, "error: declared length 0 is not"
                + " positive; the header must be a 8-byte little-endian byte count"), cut(8, "error: declared length"
                + " -1 is not positive; the header must be a 8-byte little-endian byte count"));
        assertThat(receiver.counters().errors(PlainErrorReason.LENGTH_NOT_POSITIVE)).isEqualTo(2);
        assertThat(receiver.openItems()).isZero();
    }

    @Test
    void discardsAnItemThatADatagramOverrunsAndTreatsTheNextDatagramAfresh() throws IOException {
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(100));
        send(ALICE, randomBytes(60));
        send(ALICE, randomBytes(60));
        assertThat(replies()).extracting(Reply::text).containsExactly("received", "received",
                "error: datagram of 60 bytes overruns the declared length 100 by 20 bytes; item discarded");
        assertThat(receiver.pollItem()).isNull();
        assertThat(receiver.openItems()).isZero();
        assertThat(receiver.counters().errors(PlainErrorReason.OVERRUN)).isEqualTo(1);

        byte[] gif = TestImages.noise("gif", 20, 20, random);
        send(ALICE, gif);
        assertThat(receiver.pollItem().readAllBytes()).isEqualTo(gif);
    }

    @Test
    void repliesWithAnErrorToGarbageAndCountsIt() {
        byte[] garbage = new byte[200];
        Arrays.fill(garbage, (byte) 'x');
        send(CAROL, garbage);
        send(CAROL, "hello".getBytes(StandardCharsets.US_ASCII));
        send(CAROL, new byte[0]);
        List<Reply> replies = replies();
        assertThat(replies).extracting(Reply::text).containsExactly("error: datagram of 200 bytes is not an image,"
                + " a JSON object or array, or a 8-byte little-endian length header, and no item is open from "
                + CAROL, "error");
        assertThat(receiver.counters().repliesOmitted()).as("no room for 'error' in 0 bytes").isEqualTo(1);
        assertThat(receiver.counters().errors(PlainErrorReason.GARBAGE)).isEqualTo(3);
        assertThat(receiver.counters().datagrams()).isEqualTo(3);
        assertThat(receiver.pollItem()).isNull();
    }

    @Test
    void discardsAnItemWhoseSenderFallsSilentAndKeepsServingOthers() throws IOException {
        long startNs = nowNs;
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(5000));
        send(ALICE, randomBytes(1000));
        assertThat(receiver.nextDeadlineNs()).isEqualTo(startNs + 10 * SECOND_NS);

        nowNs += 4 * SECOND_NS;
        byte[] png = TestImages.noise("png", 16, 16, random);
        send(BOB, png);
        assertThat(receiver.pollItem().from()).isEqualTo(BOB);
        replies();

        receiver.handleTimeout(startNs + 10 * SECOND_NS - 1);
        assertThat(replies()).isEmpty();
        receiver.handleTimeout(startNs + 10 * SECOND_NS);
        assertThat(replies()).containsExactly(new Reply(ALICE, "error: nothing from " + ALICE + " for 10 s while"
                + " 4000 of 5000 bytes were missing; item discarded (plain mode cannot recover lost datagrams)"));
        assertThat(receiver.openItems()).isZero();
        assertThat(receiver.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(receiver.counters().errors(PlainErrorReason.SILENCE)).isEqualTo(1);

        nowNs = startNs + 11 * SECOND_NS;
        byte[] data = randomBytes(2500);
        for (byte[] d : chunked(PlainHeaderFormat.DEFAULT, data, 1024)) {
            send(ALICE, d);
        }
        assertThat(receiver.pollItem().readAllBytes()).isEqualTo(data);
    }

    @Test
    void movesTheSilenceDeadlineWithEachDatagramOfTheItem() {
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(5000));
        nowNs += 9 * SECOND_NS;
        send(ALICE, randomBytes(100));
        assertThat(receiver.nextDeadlineNs()).isEqualTo(nowNs + 10 * SECOND_NS);
        receiver.handleTimeout(nowNs + 5 * SECOND_NS);
        assertThat(receiver.openItems()).isEqualTo(1);
    }

    @Test
    void evictsTheLeastRecentlyActiveSenderWhenTooManyAreMidItem() {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().maxOpenSenders(2).build());
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(100));
        send(BOB, PlainHeaderFormat.DEFAULT.encode(100));
        send(ALICE, randomBytes(10));
        replies();
        send(CAROL, PlainHeaderFormat.DEFAULT.encode(100));
        List<Reply> replies = replies();
        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).to()).isEqualTo(BOB);
        assertThat(replies.get(0).text()).startsWith("error: item discarded: more than 2 senders were mid-item");
        assertThat(replies.get(1)).isEqualTo(new Reply(CAROL, "received"));
        assertThat(receiver.openBySender().keySet()).containsExactlyInAnyOrder(ALICE, CAROL);
        assertThat(receiver.counters().errors(PlainErrorReason.EVICTED)).isEqualTo(1);
    }

    @Test
    void spillsALargeItemToAFileAndDeliversItWhole() throws IOException {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().memoryPerItemBytes(4096).spillDirectory(spillDir)
                .build());
        byte[] data = randomBytes(50_000);
        for (byte[] d : chunked(PlainHeaderFormat.DEFAULT, data, 1500)) {
            send(ALICE, d);
        }
        PlainItem item = receiver.pollItem();
        assertThat(item.inMemory()).isFalse();
        assertThat(item.spillFile()).get().matches(p -> p.getParent().equals(spillDir));
        assertThat(item.readAllBytes()).isEqualTo(data);
        assertThat(receiver.memoryInUseBytes()).isZero();
        Path target = spillDir.resolve("out").resolve("stored.bin");
        Files.createDirectories(target.getParent());
        item.moveTo(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
        assertThat(listFiles(spillDir)).containsExactly(spillDir.resolve("out"));
    }

    @Test
    void spillsWhenAllOpenItemsTogetherUseTheMemoryBudget() throws IOException {
        // Six addresses of 80,000 bytes each; one address may hold a quarter (100,000), all together 400,000.
        receiver = new PlainReceiver(PlainReceiverConfig.builder().memoryTotalBytes(400_000)
                .spillDirectory(spillDir).build());
        List<InetSocketAddress> senders = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        List<List<byte[]>> datagrams = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            senders.add(new InetSocketAddress("127.0.1." + (s + 1), 40000 + s));
            data.add(randomBytes(80_000));
            datagrams.add(chunked(PlainHeaderFormat.DEFAULT, data.get(s), 8000));
        }
        for (int i = 0; i < datagrams.get(0).size(); i++) {
            for (int s = 0; s < senders.size(); s++) {
                send(senders.get(s), datagrams.get(s).get(i));
                assertThat(receiver.memoryInUseBytes()).isLessThanOrEqualTo(400_000);
            }
        }
        List<PlainItem> items = new ArrayList<>();
        for (PlainItem item = receiver.pollItem(); item != null; item = receiver.pollItem()) {
            items.add(item);
            assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(data.get(senders.indexOf(item.from())));
        }
        assertThat(items).hasSize(6);
        assertThat(items.stream().filter(PlainItem::inMemory).count()).isBetween(1L, 5L);
        items.forEach(PlainItem::discard);
        assertThat(listFiles(spillDir)).isEmpty();
    }

    @Test
    void deletesTheSpillFileOfADiscardedPartialItem() {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().memoryPerItemBytes(1024).spillDirectory(spillDir)
                .build());
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(10_000));
        send(ALICE, randomBytes(5000));
        assertThat(listFiles(spillDir)).hasSize(1);
        receiver.handleTimeout(nowNs + 10 * SECOND_NS);
        assertThat(listFiles(spillDir)).isEmpty();

        send(BOB, PlainHeaderFormat.DEFAULT.encode(10_000));
        send(BOB, randomBytes(5000));
        receiver.close();
        assertThat(listFiles(spillDir)).isEmpty();
    }

    @Test
    void refusesAHeaderThatWouldPassThePendingBytesLimit() {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().maxItemBytes(1000).maxPendingBytes(1500).build());
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(1000));
        send(BOB, PlainHeaderFormat.DEFAULT.encode(600));
        send(CAROL, PlainHeaderFormat.DEFAULT.encode(500));
        assertThat(replies()).extracting(Reply::text).containsExactly("received", cut(8,
                "error: receiver busy: 1000 bytes already pending from other senders (limit 1500 for items of this"
                        + " size); retry later"), "received");
        assertThat(receiver.counters().errors(PlainErrorReason.BUSY)).isEqualTo(1);
    }

    @Test
    void refusesACompletedItemWhenNobodyTakesItems() {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().maxQueuedItems(1).build());
        send(ALICE, "[1]".getBytes(StandardCharsets.US_ASCII));
        send(BOB, ("[2]" + " ".repeat(200)).getBytes(StandardCharsets.US_ASCII));
        // "[1]" is 3 bytes, so its acceptance is cut to "rec" (still not an error to the sender).
        assertThat(replies()).extracting(Reply::text).containsExactly("rec",
                "error: receiver busy: 1 completed items are waiting to be stored; item discarded, retry later");
        assertThat(receiver.pollItem().from()).isEqualTo(ALICE);
        assertThat(receiver.pollItem()).isNull();
    }

    @Test
    void repliesWithTheConfiguredText() {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().replyText("ok").build());
        send(ALICE, "{}".getBytes(StandardCharsets.US_ASCII));
        assertThat(replies()).containsExactly(new Reply(ALICE, "ok"));
    }

    @Test
    void refusesAReplyTextThatSendersWouldReadAsAnError() {
        assertThatThrownBy(() -> PlainReceiverConfig.builder().replyText("Error-free").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("starts with 'error'");
    }

    @Test
    void dropsRepliesBeyondTheQueueBoundAndCountsThem() {
        receiver = new PlainReceiver(PlainReceiverConfig.builder().maxQueuedReplies(3).build());
        send(ALICE, PlainHeaderFormat.DEFAULT.encode(1000));
        for (int i = 0; i < 4; i++) {
            send(ALICE, randomBytes(10));
        }
        assertThat(replies()).hasSize(3);
        assertThat(receiver.counters().repliesDropped()).isEqualTo(2);
    }

    private void send(InetSocketAddress from, byte[] datagram) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(1, datagram.length)).put(datagram).flip();
        receiver.handleDatagram(from, buffer, nowNs);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    private List<Reply> replies() {
        List<Reply> out = new ArrayList<>();
        for (InetSocketAddress to = receiver.pollReply(replyBuffer); to != null; to = receiver.pollReply(replyBuffer)) {
            byte[] b = new byte[replyBuffer.remaining()];
            replyBuffer.get(b);
            out.add(new Reply(to, new String(b, StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** What a sender whose header was not accepted gets: the first {@code n} bytes of the reply (n = its datagram's size). */
    static String cut(int n, String reply) {
        return reply.substring(0, Math.min(n, reply.length()));
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static List<byte[]> chunked(PlainHeaderFormat format, byte[] item, int chunk) {
        List<byte[]> out = new ArrayList<>();
        out.add(format.encode(item.length));
        for (int off = 0; off < item.length; off += chunk) {
            out.add(Arrays.copyOfRange(item, off, Math.min(item.length, off + chunk)));
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    private static List<Path> listFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Reply(InetSocketAddress to, String text) {
    }

}
