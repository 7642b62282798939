package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Jazzer target for every wire decoder (docs/FUZZING.md). Whatever bytes come in, {@code check} never throws and
 * never claims bytes beyond the limit; whatever it accepts, the flyweight's getters read without exception with the
 * buffer clamped to the accepted bytes, and encoding the values read gives back the same bytes. Protocol v2
 * (docs/PROTOCOL.md sections 2 and 3): HELLO carries Noise message 1 and zero padding, ACCEPT and FINISH a Noise
 * message, RESET a token, and the capability block has its own check ({@link #checkCapabilities}).
 *
 * <p>Input layout: byte 0 picks the decoder ({@link #DECODERS}), byte 1 the start offset (low 4 bits) and the
 * buffer kind (bit 7: direct), the rest is the packet or frame. Plain {@code mvn test} replays the committed inputs
 * under {@code WireDecodersFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class WireDecodersFuzzTest {

    /** Decoders in the order of the selector byte. */
    static final String[] DECODERS = {"PacketHeader", "HELLO", "RETRY", "ACCEPT", "VERSION", "RESET", "PADDING",
        "PING", "ACK", "OPEN", "CHUNK", "WINDOW", "RESULT", "CANCEL", "CLOSE", "DIGEST", "CRC32C", "FINISH",
        "CapabilityBlock", "STREAM_OPEN", "FRAGMENT", "PARITY", "ABANDON", "STREAM_CLOSE", "RESUME", "OpenExtensions"};

    /** Selector of the capability block: its check answers an entry count, not a length. */
    static final int CAPABILITIES = 18;
    /** The must-understand types this build knows (docs/PROTOCOL.md section 3.7). */
    private static final int[] KNOWN = {CapabilityBlock.SERVER_CONNECTION_ID};

    private static final int CAPACITY = 65_536 + 64;
    private static final ByteBuffer HEAP = ByteBuffer.allocate(CAPACITY);
    private static final ByteBuffer DIRECT = ByteBuffer.allocateDirect(CAPACITY);
    private static final ByteBuffer REENCODED = ByteBuffer.allocate(CAPACITY);
    private static final byte[] SHA256 = new byte[OpenFrame.SHA256_LENGTH];
    private static final byte[] COOKIE = new byte[256];
    private static final byte[] TOKEN = new byte[ResetPacket.TOKEN_LENGTH];

    @FuzzTest(maxDuration = "10s")
    void acceptedEncodingsReadBackWholeAndReencodeToTheSameBytes(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int decoder = (input[0] & 0xFF) % DECODERS.length;
        int offset = input[1] & 0x0F;
        int length = Math.min(input.length - 2, CAPACITY - offset);
        ByteBuffer buf = (input[1] & 0x80) != 0 ? DIRECT : HEAP;
        buf.clear();
        buf.put(offset, input, 2, length);
        int limit = offset + length;
        buf.limit(limit);

        if (decoder == CAPABILITIES) {
            checkCapabilities(buf, offset, limit);
            return;
        }
        int checked = check(decoder, buf, offset, limit);
        assertThat(checked).as("%s check result", DECODERS[decoder]).isBetween(-1, limit - offset);
        if (checked <= 0) {
            assertThat(checked).as("%s never accepts zero bytes", DECODERS[decoder]).isEqualTo(-1);
            return;
        }
        if (decoder == 16) {
            return; // CRC32C open: "true" was all there is to say (readback is covered by the engine target)
        }
        // Clamped to what check vouched for: a getter reading past it throws and fails the target.
        buf.limit(offset + checked);
        assertThat(check(decoder, buf, offset, offset + checked)).as("%s is consistent with a tight limit",
                DECODERS[decoder]).isEqualTo(checked);
        REENCODED.clear();
        int end = reencode(decoder, buf, offset, checked, REENCODED);
        assertThat(end).as("%s re-encoded length", DECODERS[decoder]).isEqualTo(checked);
        for (int i = 0; i < checked; i++) {
            if (buf.get(offset + i) != REENCODED.get(i)) {
                throw new AssertionError(DECODERS[decoder] + ": re-encoding differs at byte " + i + ": read "
                        + (buf.get(offset + i) & 0xFF) + ", wrote " + (REENCODED.get(i) & 0xFF));
            }
        }
    }

    private static int check(int decoder, ByteBuffer buf, int offset, int limit) {
        return switch (decoder) {
            case 0 -> PacketHeader.check(buf, offset, limit);
            case 1 -> HelloPacket.check(buf, offset, limit);
            case 2 -> RetryPacket.check(buf, offset, limit);
            case 3 -> AcceptPacket.check(buf, offset, limit);
            case 4 -> VersionPacket.check(buf, offset, limit);
            case 5 -> ResetPacket.check(buf, offset, limit);
            case 6 -> PaddingFrame.check(buf, offset, limit);
            case 7 -> PingFrame.check(buf, offset, limit);
            case 8 -> AckFrame.check(buf, offset, limit);
            case 9 -> OpenFrame.check(buf, offset, limit);
            case 10 -> ChunkFrame.check(buf, offset, limit);
            case 11 -> WindowFrame.check(buf, offset, limit);
            case 12 -> ResultFrame.check(buf, offset, limit);
            case 13 -> CancelFrame.check(buf, offset, limit);
            case 14 -> CloseFrame.check(buf, offset, limit);
            case 15 -> DigestFrame.check(buf, offset, limit);
            case 17 -> FinishPacket.check(buf, offset, limit);
            case 19 -> StreamOpenFrame.check(buf, offset, limit);
            case 20 -> FragmentFrame.check(buf, offset, limit);
            case 21 -> ParityFrame.check(buf, offset, limit);
            case 22 -> AbandonFrame.check(buf, offset, limit);
            case 23 -> StreamCloseFrame.check(buf, offset, limit);
            case 24 -> ResumeFrame.check(buf, offset, limit);
            case 25 -> OpenExtensions.check(buf, offset, limit);
            default -> new Crc32cProtection().open(buf, offset, limit) ? limit - offset : -1;
        };
    }

    /**
     * Reads every field of the accepted item at {@code offset} through its flyweight and writes them again at 0 in
     * {@code out} through the encoder; returns the encoded length. Fields a check does not judge and an encoder
     * fixes (the packet number of handshake packets, the header version of a bare header) are copied with setters.
     */
    private static int reencode(int decoder, ByteBuffer buf, int offset, int checked, ByteBuffer out) {
        switch (decoder) {
            case 0: {
                PacketHeader h = new PacketHeader().wrap(buf, offset);
                int end = PacketHeader.write(out, 0, h.type(), h.connectionId(), h.packetNumber());
                new PacketHeader().wrap(out, 0).version(h.version());
                assertThat(h.magic()).isEqualTo(PacketHeader.MAGIC);
                return end;
            }
            case 1: {
                HelloPacket p = new HelloPacket().wrap(buf, offset);
                int cookieLength = p.copyCookie(COOKIE);
                assertThat(p.bodyEnd()).isLessThanOrEqualTo(offset + checked);
                assertThat(p.noiseOffset()).isEqualTo(p.noiseLengthIndex() + 2);
                byte[] noise = new byte[p.noiseLength()];
                buf.get(p.noiseOffset(), noise);
                int end = HelloPacket.encode(out, 0, p.clientConnectionId(), p.maxDatagramBytes(), p.idleTimeoutMs(),
                        COOKIE, cookieLength, noise, checked);
                new PacketHeader().wrap(out, 0).packetNumber(p.header().packetNumber());
                return end;
            }
            case 2: {
                RetryPacket p = new RetryPacket().wrap(buf, offset);
                p.copyCookie(COOKIE);
                int end = RetryPacket.encode(out, 0, p.header().connectionId(), p.helloSizeBytes(), COOKIE);
                new PacketHeader().wrap(out, 0).packetNumber(p.header().packetNumber());
                return end;
            }
            case 3: {
                AcceptPacket p = new AcceptPacket().wrap(buf, offset);
                int end = AcceptPacket.encode(out, 0, p.header().connectionId(), p.noise());
                new PacketHeader().wrap(out, 0).packetNumber(p.header().packetNumber());
                return end;
            }
            case 4: {
                VersionPacket p = new VersionPacket().wrap(buf, offset);
                int[] versions = new int[p.count()];
                for (int i = 0; i < versions.length; i++) {
                    versions[i] = p.supportedVersion(i);
                }
                int end = VersionPacket.encode(out, 0, p.header().connectionId(), versions, versions.length);
                new PacketHeader().wrap(out, 0).packetNumber(p.header().packetNumber());
                return end;
            }
            case 5: {
                ResetPacket p = new ResetPacket().wrap(buf, offset);
                buf.get(p.tokenIndex(), TOKEN);
                int end = ResetPacket.encode(out, 0, p.header().connectionId(), p.errorCode(), TOKEN);
                new PacketHeader().wrap(out, 0).packetNumber(p.header().packetNumber());
                return end;
            }
            case 6:
                PaddingFrame.fill(out, 0, checked);
                return checked;
            case 7:
                return PingFrame.write(out, 0);
            case 8: {
                AckFrame in = new AckFrame().wrap(buf, offset);
                AckFrame copy = new AckFrame().wrap(out, 0).writeType().largestAcknowledged(in.largestAcknowledged())
                        .ackDelayUs(in.ackDelayUs()).rangeCount(in.rangeCount()).firstRange(in.firstRange());
                for (int i = 0; i < in.rangeCount(); i++) {
                    copy.gap(i, in.gap(i)).rangeLength(i, in.rangeLength(i));
                }
                return copy.length();
            }
            case 9: {
                OpenFrame f = new OpenFrame().wrap(buf, offset);
                f.copySha256(SHA256);
                byte[] extensions = null;
                if (f.hasExtensions()) {
                    extensions = new byte[checked - (f.extensionsOffset() - offset)];
                    buf.get(f.extensionsOffset(), extensions);
                }
                int end = OpenFrame.encode(out, 0, f.transferId(), f.kind(), f.flags(), f.sizeBytes(), SHA256,
                        f.mediaType(), f.name(), extensions);
                assertThat(f.length()).isEqualTo(checked);
                assertThat(OpenFrame.encodedLength(f.mediaType(), f.name(), extensions)).isEqualTo(checked);
                return end;
            }
            case 10: {
                ChunkFrame f = new ChunkFrame().wrap(buf, offset);
                int data = ChunkFrame.writeHeader(out, 0, f.transferId(), f.offset(), f.dataLength());
                out.put(data, buf, f.dataOffset(), f.dataLength());
                assertThat(f.length()).isEqualTo(checked);
                return data + f.dataLength();
            }
            case 11: {
                WindowFrame f = new WindowFrame().wrap(buf, offset);
                return WindowFrame.encode(out, 0, f.transferId(), f.maxOffset());
            }
            case 12: {
                ResultFrame f = new ResultFrame().wrap(buf, offset);
                f.copySha256(SHA256);
                assertThat(f.length()).isEqualTo(checked);
                return ResultFrame.encode(out, 0, f.transferId(), f.code(), SHA256, f.reason());
            }
            case 13: {
                CancelFrame f = new CancelFrame().wrap(buf, offset);
                assertThat(f.length()).isEqualTo(checked);
                return CancelFrame.encode(out, 0, f.transferId(), f.code(), f.reason());
            }
            case 14: {
                CloseFrame f = new CloseFrame().wrap(buf, offset);
                assertThat(f.length()).isEqualTo(checked);
                return CloseFrame.encode(out, 0, f.code(), f.reason());
            }
            case 15: {
                DigestFrame f = new DigestFrame().wrap(buf, offset);
                f.copySha256(SHA256);
                return DigestFrame.encode(out, 0, f.transferId(), SHA256);
            }
            case 17: {
                FinishPacket p = new FinishPacket().wrap(buf, offset);
                int end = FinishPacket.encode(out, 0, p.header().connectionId(), p.noise());
                new PacketHeader().wrap(out, 0).packetNumber(p.header().packetNumber());
                return end;
            }
            case 19: {
                StreamOpenFrame f = new StreamOpenFrame().wrap(buf, offset);
                assertThat(f.length()).isEqualTo(checked);
                byte[] name = StreamOpenFrame.encodeName(f.name());
                assertThat(StreamOpenFrame.encodedLength(name.length)).isEqualTo(checked);
                return StreamOpenFrame.encode(out, 0, f.streamId(), f.codec(), f.flags(), f.latencyBudgetMs(),
                        f.fpsHintCenti(), f.width(), f.height(), f.senderClockUs(), name);
            }
            case 20: {
                FragmentFrame f = new FragmentFrame().wrap(buf, offset);
                int data = FragmentFrame.writeHeader(out, 0, f.streamId(), f.frameNumber(), f.flags(), f.captureUs(),
                        (int) f.frameLength(), f.fragmentSize(), f.fragmentIndex());
                out.put(data, buf, f.dataOffset(), f.dataLength());
                assertThat(f.length()).isEqualTo(checked);
                return data + f.dataLength();
            }
            case 21: {
                ParityFrame f = new ParityFrame().wrap(buf, offset);
                int data = ParityFrame.writeHeader(out, 0, f.streamId(), f.frameNumber(), f.flags(), f.captureUs(),
                        (int) f.frameLength(), f.fragmentSize(), f.stride(), f.group());
                out.put(data, buf, f.dataOffset(), f.dataLength());
                assertThat(f.length()).isEqualTo(checked);
                return data + f.dataLength();
            }
            case 22: {
                AbandonFrame f = new AbandonFrame().wrap(buf, offset);
                return AbandonFrame.encode(out, 0, f.streamId(), f.frameNumber());
            }
            case 23: {
                StreamCloseFrame f = new StreamCloseFrame().wrap(buf, offset);
                assertThat(f.length()).isEqualTo(checked);
                byte[] reason = StreamCloseFrame.encodeReason(f.reason());
                return f.fromReceiver() ? StreamCloseFrame.encodeFromReceiver(out, 0, f.streamId(), f.code(), reason)
                        : StreamCloseFrame.encode(out, 0, f.streamId(), f.frames(), f.code(), reason);
            }
            case 24: {
                ResumeFrame f = new ResumeFrame().wrap(buf, offset);
                return ResumeFrame.encode(out, 0, f.transferId(), f.resumeOffset());
            }
            case 25: {
                // Every accepted entry reads back without throwing; the block is then copied as it is (unknown
                // entries are skipped by read, so a rebuild from the visitor would differ by design).
                OpenExtensions.read(buf, offset, new CollectingVisitor());
                OpenExtensions.firstUnknownMustUnderstand(buf, offset);
                out.put(0, buf, offset, checked);
                return checked;
            }
            default:
                throw new AssertionError("no re-encoder for decoder " + decoder);
        }
    }

    /**
     * The capability block (docs/PROTOCOL.md section 3): {@code check} never throws and answers an entry count, -1
     * or {@link CapabilityBlock#UNKNOWN_MUST_UNDERSTAND}; a refusal for an unknown type names a must-understand type
     * this build does not know; an accepted block reads back entry by entry with {@code find}, {@code length} and
     * {@code number} while the buffer is clamped to it, and writing the entries again gives the same bytes.
     */
    private static void checkCapabilities(ByteBuffer buf, int offset, int limit) {
        int count = CapabilityBlock.check(buf, offset, limit, KNOWN);
        assertThat(count).as("CapabilityBlock check result").isBetween(-2, CapabilityBlock.MAX_ENTRIES);
        if (count == CapabilityBlock.UNKNOWN_MUST_UNDERSTAND) {
            int type = CapabilityBlock.firstUnknownMustUnderstand(buf, offset, limit, KNOWN);
            assertThat(type & CapabilityBlock.MUST_UNDERSTAND).as("refused type %s", type).isNotZero();
            assertThat(type).isNotEqualTo(CapabilityBlock.SERVER_CONNECTION_ID);
            return;
        }
        if (count < 0) {
            return;
        }
        assertThat(CapabilityBlock.firstUnknownMustUnderstand(buf, offset, limit, KNOWN)).isEqualTo(-1);
        REENCODED.clear();
        int at = offset;
        int written = 0;
        for (int i = 0; i < count; i++) {
            int type = buf.getShort(at) & 0xFFFF;
            int length = CapabilityBlock.length(buf, at);
            assertThat(CapabilityBlock.find(buf, offset, limit, type)).as("entry %s of type %s", i, type).isEqualTo(at);
            long number = CapabilityBlock.number(buf, offset, limit, type, -1L);
            if (length == 1 || length == 2 || length == 4 || length == 8) {
                written = CapabilityBlock.putNumber(REENCODED, written, type, length, number);
            } else {
                assertThat(number).as("a %s-byte entry is no number", length).isEqualTo(-1L);
                byte[] value = new byte[length];
                buf.get(at + CapabilityBlock.ENTRY_HEADER_BYTES, value);
                written = CapabilityBlock.putBytes(REENCODED, written, type, value);
            }
            at += CapabilityBlock.ENTRY_HEADER_BYTES + length;
        }
        assertThat(at).as("the entries fill the block").isEqualTo(limit);
        assertThat(written).isEqualTo(limit - offset);
        for (int i = 0; i < written; i++) {
            if (buf.get(offset + i) != REENCODED.get(i)) {
                throw new AssertionError("CapabilityBlock: re-encoding differs at byte " + i);
            }
        }
    }

    /** Reads every entry (the fuzz target only checks that reading an accepted block never throws). */
    private static final class CollectingVisitor implements OpenExtensions.Visitor {
        int entries;

        @Override
        public void meta(String key, String value) {
            assertThat(key).isNotEmpty();
            entries++;
        }

        @Override
        public void replyWanted() {
            entries++;
        }

        @Override
        public void replyTo(long transferId) {
            assertThat(transferId).isBetween(0L, BigEndian.MAX_U32);
            entries++;
        }

        @Override
        public void resumable() {
            entries++;
        }
    }
}
