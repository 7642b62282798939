package io.udpix.wire;

import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Feeds every {@code check} 200,000 seeded inputs (valid encodings, bit flips, extreme values in length fields,
 * truncations, random bytes, impossible offsets and limits) and asserts it never throws, never claims more than
 * {@code limit - offset}, is consistent with itself, and that a frame it accepts can be read whole with the
 * flyweight while the buffer's limit is clamped to the frame's end.
 */
class CheckFuzzTest {

    private static final int ITERATIONS = 200_000;
    private static final int CAPACITY = 4096;

    /** Writes one valid item at {@code offset}; returns its end. */
    interface Generator {
        int write(SplittableRandom random, ByteBuffer buf, int offset);
    }

    /** The check under test. */
    interface Checker {
        int check(ByteBuffer buf, int offset, int limit);
    }

    /** Reads every field of an accepted item with its flyweight; returns the length the flyweight computes. */
    interface Reader {
        int read(ByteBuffer buf, int offset, int checked);
    }

    /** One codec under test. */
    record Subject(String name, Generator generator, Checker checker, Reader reader) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Subject> subjects() {
        return Stream.of(
                new Subject("PacketHeader", CheckFuzzTest::header, PacketHeader::check, CheckFuzzTest::readHeader),
                new Subject("HELLO", CheckFuzzTest::hello, HelloPacket::check, CheckFuzzTest::readHello),
                new Subject("RETRY", CheckFuzzTest::retry, RetryPacket::check, CheckFuzzTest::readRetry),
                new Subject("ACCEPT", CheckFuzzTest::accept, AcceptPacket::check, CheckFuzzTest::readAccept),
                new Subject("VERSION", CheckFuzzTest::version, VersionPacket::check, CheckFuzzTest::readVersion),
                new Subject("RESET", CheckFuzzTest::reset, ResetPacket::check, CheckFuzzTest::readReset),
                new Subject("PADDING", CheckFuzzTest::padding, PaddingFrame::check, (b, o, c) -> c),
                new Subject("PING", (r, b, o) -> PingFrame.write(b, o), PingFrame::check, (b, o, c) -> 1),
                new Subject("ACK", CheckFuzzTest::ack, AckFrame::check, CheckFuzzTest::readAck),
                new Subject("OPEN", CheckFuzzTest::open, OpenFrame::check, CheckFuzzTest::readOpen),
                new Subject("CHUNK", CheckFuzzTest::chunk, ChunkFrame::check, CheckFuzzTest::readChunk),
                new Subject("WINDOW", CheckFuzzTest::window, WindowFrame::check, CheckFuzzTest::readWindow),
                new Subject("RESULT", CheckFuzzTest::result, ResultFrame::check, CheckFuzzTest::readResult),
                new Subject("CANCEL", CheckFuzzTest::cancel, CancelFrame::check, CheckFuzzTest::readCancel),
                new Subject("CLOSE", CheckFuzzTest::close, CloseFrame::check, CheckFuzzTest::readClose),
                new Subject("STREAM_OPEN", CheckFuzzTest::streamOpen, StreamOpenFrame::check,
                        CheckFuzzTest::readStreamOpen),
                new Subject("FRAGMENT", CheckFuzzTest::fragment, FragmentFrame::check, CheckFuzzTest::readFragment),
                new Subject("PARITY", CheckFuzzTest::parity, ParityFrame::check, CheckFuzzTest::readParity),
                new Subject("ABANDON", (r, b, o) -> AbandonFrame.encode(b, o, u32(r), u32(r)), AbandonFrame::check,
                        (b, o, c) -> {
                            AbandonFrame f = new AbandonFrame().wrap(b, o);
                            f.streamId();
                            f.frameNumber();
                            return AbandonFrame.LENGTH;
                        }),
                new Subject("STREAM_CLOSE", CheckFuzzTest::streamClose, StreamCloseFrame::check,
                        CheckFuzzTest::readStreamClose));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("subjects")
    void checkNeverThrowsAndNeverClaimsBytesBeyondTheLimit(Subject subject) {
        long seed = TestSeeds.seed();
        SplittableRandom random = new SplittableRandom(seed);
        List<ByteBuffer> buffers = List.of(ByteBuffer.allocate(CAPACITY), ByteBuffer.allocateDirect(CAPACITY));
        ByteBuffer readOnly = buffers.get(0).asReadOnlyBuffer();
        int accepted = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            ByteBuffer writable = buffers.get(random.nextInt(2));
            writable.clear();
            int offset = random.nextInt(64);
            int end = subject.generator().write(random, writable, offset);
            int mutation = random.nextInt(10);
            int limit = mutate(random, writable, offset, end, mutation);
            ByteBuffer buf = writable;
            if (random.nextInt(8) == 0 && writable.hasArray()) {
                buf = readOnly.clear();
            }
            if (mutation == 9) {
                // Impossible or hostile arguments: negative offset, limit past the buffer, limit before offset.
                int[] extremes = {Integer.MIN_VALUE, -1, 0, 1, end, CAPACITY, CAPACITY + 1, Integer.MAX_VALUE};
                offset = extremes[random.nextInt(extremes.length)];
                limit = extremes[random.nextInt(extremes.length)];
                if (random.nextBoolean()) {
                    buf.limit(random.nextInt(CAPACITY + 1));
                }
                if (random.nextInt(50) == 0) {
                    buf = null;
                }
            }
            String context = "seed=" + seed + " (rerun with -Dudpix.seed=" + seed + ") subject=" + subject
                    + " iteration=" + iteration + " mutation=" + mutation + " offset=" + offset + " limit=" + limit;
            int result;
            try {
                result = subject.checker().check(buf, offset, limit);
            } catch (Throwable t) {
                throw new AssertionError(context + " check threw " + t + " on " + dump(buf, offset, limit), t);
            }
            if (mutation == 0) {
                if (result != end - offset) {
                    fail(context + ": a valid encoding checked as " + result + " instead of " + (end - offset)
                            + " on " + dump(buf, offset, limit));
                }
            }
            if (result == -1) {
                continue;
            }
            if (result < 1 || (long) result > (long) limit - offset) {
                fail(context + ": check returned " + result + " but only " + ((long) limit - offset)
                        + " bytes were available: " + dump(buf, offset, limit));
            }
            accepted++;
            assertAcceptedItemIsReadable(subject, buf, offset, result, context);
        }
        if (accepted < ITERATIONS / 20) {
            fail("seed=" + seed + " subject=" + subject + ": only " + accepted
                    + " inputs were accepted; the generator no longer produces valid items");
        }
    }

    private static void assertAcceptedItemIsReadable(Subject subject, ByteBuffer buf, int offset, int result,
                                                     String context) {
        int savedLimit = buf.limit();
        try {
            int again = subject.checker().check(buf, offset, offset + result);
            if (again != result) {
                fail(context + ": check is inconsistent: " + result + " with the original limit, " + again
                        + " with limit = offset + " + result + " on " + dump(buf, offset, offset + result));
            }
            // Clamp the buffer to the item so that any read past what check vouched for throws.
            buf.limit(offset + result);
            int length = subject.reader().read(buf, offset, result);
            if (length != result) {
                fail(context + ": the flyweight computes length " + length + " but check returned " + result);
            }
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": reading an accepted item threw " + e + " on "
                    + dump(buf, offset, offset + result), e);
        } finally {
            buf.limit(savedLimit);
        }
    }

    /**
     * Applies mutation {@code kind} to {@code buf[offset, end)}; returns the limit to check with. Kind 0 leaves
     * the item valid; 9 is handled by the caller (hostile offset/limit).
     */
    private static int mutate(SplittableRandom random, ByteBuffer buf, int offset, int end, int kind) {
        int length = end - offset;
        switch (kind) {
            case 1: { // flip 1-3 bits
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    int index = offset + random.nextInt(length);
                    buf.put(index, (byte) (buf.get(index) ^ (1 << random.nextInt(8))));
                }
                return end;
            }
            case 2: { // an extreme value in one of the first 64 bytes, where every length and count field is
                int index = offset + random.nextInt(Math.min(length, 64));
                int[] values = {0x00, 0xFF, 0x7F, 0x80, 0x01, 0xC0, 0xED, 0xF4, random.nextInt(256)};
                buf.put(index, (byte) values[random.nextInt(values.length)]);
                return end;
            }
            case 3: // truncation
                return offset + random.nextInt(length + 1);
            case 4: // trailing bytes after the item (frames ignore them, packets must reject them)
                fillRandom(random, buf, end, end + 1 + random.nextInt(32));
                return end + 1 + random.nextInt(32);
            case 5: { // a random run over part of the item
                int from = offset + random.nextInt(length);
                fillRandom(random, buf, from, Math.min(end, from + 1 + random.nextInt(16)));
                return end;
            }
            case 6: { // random bytes after the type byte, random limit
                int to = offset + 1 + random.nextInt(600);
                fillRandom(random, buf, offset + 1, to);
                return offset + random.nextInt(to - offset + 1);
            }
            case 7: // a multi-byte field set to all-ones (u16/u32/u64 maxima)
                for (int i = offset + random.nextInt(Math.min(length, 48)), n = 2 << random.nextInt(3);
                     n > 0 && i < end; i++, n--) {
                    buf.put(i, (byte) 0xFF);
                }
                return end;
            case 8: // a shorter limit combined with a flip
                buf.put(offset + random.nextInt(length), (byte) random.nextInt(256));
                return end - random.nextInt(Math.min(length, 4) + 1);
            default:
                return end;
        }
    }

    private static void fillRandom(SplittableRandom random, ByteBuffer buf, int from, int to) {
        for (int i = from; i < to; i++) {
            buf.put(i, (byte) random.nextInt(256));
        }
    }

    private static String dump(ByteBuffer buf, int offset, int limit) {
        if (buf == null) {
            return "null buffer";
        }
        return "buffer(limit=" + buf.limit() + ", direct=" + buf.isDirect() + ") bytes "
                + TestSeeds.hex(buf, offset, Math.min(limit, buf.capacity()));
    }

    // ---- generators of valid items ----

    private static long nonzeroLong(SplittableRandom random) {
        long value = random.nextLong();
        return value == 0 ? 1 : value;
    }

    private static long u32(SplittableRandom random) {
        return random.nextInt(4) == 0 ? BigEndian.MAX_U32 : random.nextLong(BigEndian.MAX_U32 + 1);
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** Random text of letters, accents, CJK, emoji and a few control characters (which encoders handle). */
    private static String text(SplittableRandom random, int maxCodePoints, boolean controls) {
        int[] pool = {'a', 'Z', ' ', '/', 'é', 'ß', '€', '日', 0x1F6B2, 0x10FFFF, 0xFFFD, 0x7E};
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(maxCodePoints + 1);
        for (int i = 0; i < n; i++) {
            if (controls && random.nextInt(20) == 0) {
                sb.append((char) random.nextInt(0x20));
            } else {
                sb.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
        }
        return sb.toString();
    }

    private static String name(SplittableRandom random) {
        String text = text(random, 90, false);
        while (text.getBytes(StandardCharsets.UTF_8).length > OpenFrame.MAX_NAME_BYTES) {
            text = text.substring(0, text.offsetByCodePoints(0, text.codePointCount(0, text.length()) - 1));
        }
        return text;
    }

    private static int header(SplittableRandom random, ByteBuffer buf, int offset) {
        return PacketHeader.write(buf, offset, random.nextInt(256), random.nextLong(), u32(random));
    }

    private static int hello(SplittableRandom random, ByteBuffer buf, int offset) {
        int cookieLength = random.nextBoolean() ? 0 : Cookie.LENGTH;
        byte[] noise = bytes(random, random.nextInt(100));
        int bodyEnd = offset + PacketHeader.LENGTH + HelloPacket.bodyLength(cookieLength, noise.length);
        return HelloPacket.encode(buf, offset, nonzeroLong(random), random.nextInt(65536), u32(random),
                bytes(random, Cookie.LENGTH), cookieLength, noise, bodyEnd + random.nextInt(600));
    }

    private static int retry(SplittableRandom random, ByteBuffer buf, int offset) {
        return RetryPacket.encode(buf, offset, random.nextLong(), random.nextInt(65536), bytes(random, 24));
    }

    private static int accept(SplittableRandom random, ByteBuffer buf, int offset) {
        return AcceptPacket.encode(buf, offset, random.nextLong(),
                bytes(random, AcceptPacket.MIN_NOISE_BYTES + random.nextInt(200)));
    }

    private static int version(SplittableRandom random, ByteBuffer buf, int offset) {
        int count = 1 + random.nextInt(VersionPacket.MAX_VERSIONS);
        int[] versions = new int[count];
        for (int i = 0; i < count; i++) {
            versions[i] = 1 + random.nextInt(255);
        }
        return VersionPacket.encode(buf, offset, random.nextLong(), versions, count);
    }

    private static int reset(SplittableRandom random, ByteBuffer buf, int offset) {
        return ResetPacket.encode(buf, offset, random.nextLong(), random.nextInt(65536), bytes(random, 16));
    }

    private static int padding(SplittableRandom random, ByteBuffer buf, int offset) {
        int end = offset + 1 + random.nextInt(200);
        PaddingFrame.fill(buf, offset, end);
        buf.put(end, (byte) (1 + random.nextInt(255)));
        return end;
    }

    private static int ack(SplittableRandom random, ByteBuffer buf, int offset) {
        long largest = random.nextBoolean() ? u32(random) : random.nextInt(1000);
        long firstRange = random.nextLong(largest + 1);
        AckFrame ack = new AckFrame().wrap(buf, offset).writeType().largestAcknowledged(largest)
                .ackDelayUs(u32(random)).firstRange(firstRange);
        long smallest = largest - firstRange;
        int count = 0;
        int wanted = random.nextInt(AckFrame.MAX_RANGES + 1);
        while (count < wanted && smallest >= 2) {
            long gap = random.nextLong(Math.min(smallest - 1, 50));
            long rangeTop = smallest - gap - 2;
            long rangeLength = random.nextLong(Math.min(rangeTop, 50) + 1);
            ack.gap(count, gap).rangeLength(count, rangeLength);
            smallest = rangeTop - rangeLength;
            count++;
        }
        ack.rangeCount(count);
        return offset + ack.length();
    }

    private static int open(SplittableRandom random, ByteBuffer buf, int offset) {
        StringBuilder mediaType = new StringBuilder();
        for (int i = random.nextInt(OpenFrame.MAX_MEDIA_TYPE_BYTES + 1); i > 0; i--) {
            mediaType.append((char) (0x20 + random.nextInt(0x5F)));
        }
        long size = random.nextInt(4) == 0 ? Long.MAX_VALUE : random.nextLong(Long.MAX_VALUE);
        return OpenFrame.encode(buf, offset, u32(random), random.nextInt(4), random.nextInt(256), size,
                bytes(random, 32), mediaType.toString(), name(random));
    }

    private static int chunk(SplittableRandom random, ByteBuffer buf, int offset) {
        int dataLength = random.nextInt(1500);
        long contentOffset = random.nextInt(4) == 0 ? Long.MAX_VALUE - dataLength
                : random.nextLong(Long.MAX_VALUE - dataLength);
        int data = ChunkFrame.writeHeader(buf, offset, u32(random), contentOffset, dataLength);
        fillRandom(random, buf, data, data + dataLength);
        return data + dataLength;
    }

    private static int window(SplittableRandom random, ByteBuffer buf, int offset) {
        return WindowFrame.encode(buf, offset, u32(random), random.nextLong(Long.MAX_VALUE));
    }

    private static int result(SplittableRandom random, ByteBuffer buf, int offset) {
        return ResultFrame.encode(buf, offset, u32(random), random.nextInt(65536),
                random.nextBoolean() ? null : bytes(random, 32), text(random, 100, true));
    }

    private static int cancel(SplittableRandom random, ByteBuffer buf, int offset) {
        return CancelFrame.encode(buf, offset, u32(random), random.nextInt(65536), text(random, 100, true));
    }

    private static int close(SplittableRandom random, ByteBuffer buf, int offset) {
        return CloseFrame.encode(buf, offset, random.nextInt(65536), text(random, 100, true));
    }

    private static int streamOpen(SplittableRandom random, ByteBuffer buf, int offset) {
        String name = text(random, 60, false);
        return StreamOpenFrame.encode(buf, offset, u32(random), random.nextInt(256), random.nextInt(256),
                1 + random.nextInt(StreamOpenFrame.MAX_LATENCY_BUDGET_MS), random.nextInt(65536),
                random.nextInt(65536), random.nextInt(65536), random.nextLong(Long.MAX_VALUE),
                StreamOpenFrame.encodeName(name));
    }

    /** A frame layout small enough for the 4 KiB buffer: {L, F, count}. */
    private static int[] layout(SplittableRandom random) {
        int fragmentSize = 1 + random.nextInt(random.nextBoolean() ? 8 : 1400);
        int frameLength = 1 + random.nextInt(random.nextBoolean() ? 3 * fragmentSize : 1 << 20);
        if ((frameLength + (long) fragmentSize - 1) / fragmentSize > FragmentFrame.MAX_FRAGMENTS) {
            frameLength = fragmentSize * FragmentFrame.MAX_FRAGMENTS;
        }
        return new int[] {frameLength, fragmentSize, FragmentFrame.fragmentCount(frameLength, fragmentSize)};
    }

    private static int fragment(SplittableRandom random, ByteBuffer buf, int offset) {
        int[] l = layout(random);
        int index = random.nextBoolean() ? l[2] - 1 : random.nextInt(l[2]);
        int data = FragmentFrame.writeHeader(buf, offset, u32(random), u32(random), random.nextInt(256),
                random.nextLong(Long.MAX_VALUE), l[0], l[1], index);
        int length = FragmentFrame.fragmentDataLength(l[0], l[1], index);
        fillRandom(random, buf, data, data + length);
        return data + length;
    }

    private static int parity(SplittableRandom random, ByteBuffer buf, int offset) {
        int[] l = layout(random);
        int stride = 1 + random.nextInt(Math.min(l[2], BigEndian.MAX_U16)); // u16 on the wire
        int data = ParityFrame.writeHeader(buf, offset, u32(random), u32(random), random.nextInt(256),
                random.nextLong(Long.MAX_VALUE), l[0], l[1], stride, random.nextInt(stride));
        fillRandom(random, buf, data, data + l[1]);
        return data + l[1];
    }

    private static int streamClose(SplittableRandom random, ByteBuffer buf, int offset) {
        if (random.nextBoolean()) {
            return StreamCloseFrame.encodeFromReceiver(buf, offset, u32(random), random.nextInt(65536),
                    StreamCloseFrame.encodeReason(text(random, 100, true)));
        }
        return StreamCloseFrame.encode(buf, offset, u32(random), random.nextLong(StreamCloseFrame.FROM_RECEIVER),
                random.nextInt(65536), text(random, 100, true));
    }

    private static int readStreamOpen(ByteBuffer buf, int offset, int checked) {
        StreamOpenFrame f = new StreamOpenFrame().wrap(buf, offset);
        f.streamId();
        f.codec();
        f.flags();
        f.latencyBudgetMs();
        f.fpsHintCenti();
        f.width();
        f.height();
        f.senderClockUs();
        return cleanRoundTrip(f.name(), f.nameLength()) ? f.length() : -1;
    }

    private static int readFragment(ByteBuffer buf, int offset, int checked) {
        FragmentFrame f = new FragmentFrame().wrap(buf, offset);
        f.streamId();
        f.frameNumber();
        f.retransmission();
        f.captureUs();
        f.frameLength();
        f.fragmentSize();
        f.fragmentIndex();
        if (f.dataLength() > 0) {
            buf.get(f.dataOffset() + f.dataLength() - 1);
        }
        return f.length();
    }

    private static int readParity(ByteBuffer buf, int offset, int checked) {
        ParityFrame f = new ParityFrame().wrap(buf, offset);
        f.streamId();
        f.frameNumber();
        f.flags();
        f.captureUs();
        f.frameLength();
        f.stride();
        f.group();
        buf.get(f.dataOffset() + f.dataLength() - 1);
        return f.length();
    }

    private static int readStreamClose(ByteBuffer buf, int offset, int checked) {
        StreamCloseFrame f = new StreamCloseFrame().wrap(buf, offset);
        f.streamId();
        f.frames();
        f.fromReceiver();
        f.code();
        return cleanRoundTrip(f.reason(), f.reasonLength()) ? f.length() : -1;
    }

    // ---- readers: every getter of an accepted item ----

    private static final byte[] SCRATCH = new byte[64];

    private static int readHeader(ByteBuffer buf, int offset, int checked) {
        PacketHeader header = new PacketHeader().wrap(buf, offset);
        header.magic();
        header.version();
        header.type();
        header.connectionId();
        header.packetNumber();
        return PacketHeader.LENGTH;
    }

    private static int readHello(ByteBuffer buf, int offset, int checked) {
        HelloPacket hello = new HelloPacket().wrap(buf, offset);
        readHeader(buf, offset, checked);
        hello.clientConnectionId();
        hello.maxDatagramBytes();
        hello.idleTimeoutMs();
        hello.copyCookie(SCRATCH);
        if (hello.bodyEnd() > offset + checked) {
            return -1;
        }
        return checked;
    }

    private static int readRetry(ByteBuffer buf, int offset, int checked) {
        RetryPacket retry = new RetryPacket().wrap(buf, offset);
        retry.header().packetNumber();
        retry.helloSizeBytes();
        retry.copyCookie(SCRATCH);
        return retry.cookieOffset() + retry.cookieLength() - offset;
    }

    private static int readAccept(ByteBuffer buf, int offset, int checked) {
        AcceptPacket accept = new AcceptPacket().wrap(buf, offset);
        accept.header().connectionId();
        return AcceptPacket.NOISE_OFFSET + accept.noise().length;
    }

    private static int readVersion(ByteBuffer buf, int offset, int checked) {
        VersionPacket packet = new VersionPacket().wrap(buf, offset);
        for (int i = 0; i < packet.count(); i++) {
            packet.supportedVersion(i);
        }
        return VersionPacket.length(packet.count());
    }

    private static int readReset(ByteBuffer buf, int offset, int checked) {
        new ResetPacket().wrap(buf, offset).errorCode();
        return ResetPacket.LENGTH;
    }

    private static int readAck(ByteBuffer buf, int offset, int checked) {
        AckFrame ack = new AckFrame().wrap(buf, offset);
        ack.largestAcknowledged();
        ack.ackDelayUs();
        long smallest = ack.largestAcknowledged() - ack.firstRange();
        for (int i = 0; i < ack.rangeCount(); i++) {
            smallest = smallest - ack.gap(i) - 2 - ack.rangeLength(i);
        }
        return smallest >= 0 && ack.rangeCount() <= AckFrame.MAX_RANGES ? ack.length() : -1;
    }

    /** True when {@code text} re-encodes to exactly {@code lengthBytes} of UTF-8 and has no control characters. */
    private static boolean cleanRoundTrip(String text, int lengthBytes) {
        return text.getBytes(StandardCharsets.UTF_8).length == lengthBytes
                && text.chars().noneMatch(c -> c < 0x20 || c == 0x7F);
    }

    private static int readOpen(ByteBuffer buf, int offset, int checked) {
        OpenFrame open = new OpenFrame().wrap(buf, offset);
        open.transferId();
        open.flags();
        open.copySha256(SCRATCH);
        String mediaType = open.mediaType();
        boolean valid = TransferKind.valid(open.kind())
                && open.sizeBytes() >= 0
                && mediaType.length() == open.mediaTypeLength()
                && mediaType.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)
                && cleanRoundTrip(open.name(), open.nameLength());
        return valid ? open.length() : -1;
    }

    private static int readChunk(ByteBuffer buf, int offset, int checked) {
        ChunkFrame chunk = new ChunkFrame().wrap(buf, offset);
        chunk.transferId();
        if (chunk.dataLength() > 0) {
            buf.get(chunk.dataOffset() + chunk.dataLength() - 1);
        }
        boolean valid = chunk.offset() >= 0 && chunk.offset() + chunk.dataLength() >= 0;
        return valid ? chunk.length() : -1;
    }

    private static int readWindow(ByteBuffer buf, int offset, int checked) {
        WindowFrame window = new WindowFrame().wrap(buf, offset);
        window.transferId();
        return window.maxOffset() < 0 ? -1 : WindowFrame.LENGTH;
    }

    private static int readResult(ByteBuffer buf, int offset, int checked) {
        ResultFrame result = new ResultFrame().wrap(buf, offset);
        result.transferId();
        result.code();
        result.copySha256(SCRATCH);
        return cleanRoundTrip(result.reason(), result.reasonLength()) ? result.length() : -1;
    }

    private static int readCancel(ByteBuffer buf, int offset, int checked) {
        CancelFrame cancel = new CancelFrame().wrap(buf, offset);
        cancel.transferId();
        cancel.code();
        return cleanRoundTrip(cancel.reason(), cancel.reasonLength()) ? cancel.length() : -1;
    }

    private static int readClose(ByteBuffer buf, int offset, int checked) {
        CloseFrame close = new CloseFrame().wrap(buf, offset);
        close.code();
        return cleanRoundTrip(close.reason(), close.reasonLength()) ? close.length() : -1;
    }
}
