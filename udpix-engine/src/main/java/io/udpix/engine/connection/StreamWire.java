package io.udpix.engine.connection;

import io.udpix.wire.BigEndian;
import java.nio.ByteBuffer;

/**
 * Encoders of the stream frames the sender writes (docs/PROTOCOL.md sections 4.13-4.16), byte for byte as the
 * design contract lays them out. Interim: replaced by the udpix-wire codecs (StreamOpenFrame, FragmentFrame,
 * ParityFrame, AbandonFrame, StreamCloseFrame) once they are in main.
 */
final class StreamWire {
    static final int STREAM_OPEN = 0x20;
    static final int FRAGMENT = 0x21;
    static final int PARITY = 0x22;
    static final int ABANDON = 0x23;
    static final int STREAM_CLOSE = 0x24;
    static final int ABANDON_LENGTH = 9;
    static final int FLAG_RETRANSMISSION = 1;

    private StreamWire() {
    }

    /** STREAM_OPEN; returns the index after it. */
    static int writeStreamOpen(ByteBuffer b, int o, long streamId, int codec, int budgetMs, int fpsCenti, int width,
            int height, long senderClockUs, byte[] name) {
        BigEndian.putU8(b, o, STREAM_OPEN);
        BigEndian.putU32(b, o + 1, streamId);
        BigEndian.putU8(b, o + 5, codec);
        BigEndian.putU8(b, o + 6, 0);
        BigEndian.putU16(b, o + 7, budgetMs);
        BigEndian.putU16(b, o + 9, fpsCenti);
        BigEndian.putU16(b, o + 11, width);
        BigEndian.putU16(b, o + 13, height);
        BigEndian.putI64(b, o + 15, senderClockUs);
        BigEndian.putU8(b, o + 22, name.length);
        b.put(o + 23, name, 0, name.length);
        return o + 23 + name.length;
    }

    /** FRAGMENT header; returns the index of its data. */
    static int writeFragmentHeader(ByteBuffer b, int o, long streamId, long frameNumber, boolean retransmission,
            long captureUs, int frameLength, int fragmentSize, int index, int dataLength) {
        BigEndian.putU8(b, o, FRAGMENT);
        BigEndian.putU32(b, o + 1, streamId);
        BigEndian.putU32(b, o + 5, frameNumber);
        BigEndian.putU8(b, o + 9, retransmission ? FLAG_RETRANSMISSION : 0);
        BigEndian.putI64(b, o + 10, captureUs);
        BigEndian.putU32(b, o + 18, frameLength);
        BigEndian.putU16(b, o + 22, fragmentSize);
        BigEndian.putU16(b, o + 24, index);
        BigEndian.putU16(b, o + 26, dataLength);
        return o + 28;
    }

    /** PARITY header; returns the index of its data (F bytes). */
    static int writeParityHeader(ByteBuffer b, int o, long streamId, long frameNumber, long captureUs,
            int frameLength, int fragmentSize, int stride, int group) {
        BigEndian.putU8(b, o, PARITY);
        BigEndian.putU32(b, o + 1, streamId);
        BigEndian.putU32(b, o + 5, frameNumber);
        BigEndian.putU8(b, o + 9, 0);
        BigEndian.putI64(b, o + 10, captureUs);
        BigEndian.putU32(b, o + 18, frameLength);
        BigEndian.putU16(b, o + 22, fragmentSize);
        BigEndian.putU16(b, o + 24, stride);
        BigEndian.putU16(b, o + 26, group);
        BigEndian.putU16(b, o + 28, fragmentSize);
        return o + 30;
    }

    /** ABANDON; returns the index after it. */
    static int writeAbandon(ByteBuffer b, int o, long streamId, long frameNumber) {
        BigEndian.putU8(b, o, ABANDON);
        BigEndian.putU32(b, o + 1, streamId);
        BigEndian.putU32(b, o + 5, frameNumber);
        return o + ABANDON_LENGTH;
    }

    /** STREAM_CLOSE's length with {@code reason}. */
    static int streamCloseLength(byte[] reason) {
        return 12 + reason.length;
    }

    /** STREAM_CLOSE; returns the index after it. */
    static int writeStreamClose(ByteBuffer b, int o, long streamId, long frames, int code, byte[] reason) {
        BigEndian.putU8(b, o, STREAM_CLOSE);
        BigEndian.putU32(b, o + 1, streamId);
        BigEndian.putU32(b, o + 5, frames);
        BigEndian.putU16(b, o + 9, code);
        BigEndian.putU8(b, o + 11, reason.length);
        b.put(o + 12, reason, 0, reason.length);
        return o + 12 + reason.length;
    }
}
