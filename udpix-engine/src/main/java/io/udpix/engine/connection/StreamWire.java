package io.udpix.engine.connection;

import io.udpix.wire.AbandonFrame;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.ParityFrame;
import io.udpix.wire.StreamCloseFrame;
import io.udpix.wire.StreamOpenFrame;
import java.nio.ByteBuffer;

/**
 * The stream frames the sender writes (docs/PROTOCOL.md sections 4.12-4.16), through the udpix-wire codecs so that
 * sender and receiver share one layout (the interim hand-written encoders put STREAM_OPEN's name length one byte
 * early, over the clock's last byte). Allocation-free.
 */
final class StreamWire {
    static final int ABANDON_LENGTH = AbandonFrame.LENGTH;

    private StreamWire() {
    }

    /** STREAM_OPEN; returns the index after it. */
    static int writeStreamOpen(ByteBuffer b, int o, long streamId, int codec, int budgetMs, int fpsCenti, int width,
            int height, long senderClockUs, byte[] name) {
        return StreamOpenFrame.encode(b, o, streamId, codec, 0, budgetMs, fpsCenti, width, height,
                Math.max(0, senderClockUs), name);
    }

    /** FRAGMENT header; returns the index of its data ({@code dataLength} bytes, as the layout gives it). */
    static int writeFragmentHeader(ByteBuffer b, int o, long streamId, long frameNumber, boolean retransmission,
            long captureUs, int frameLength, int fragmentSize, int index, int dataLength) {
        return FragmentFrame.writeHeader(b, o, streamId, frameNumber,
                retransmission ? FragmentFrame.FLAG_RETRANSMISSION : 0, Math.max(0, captureUs), frameLength,
                fragmentSize, index);
    }

    /** PARITY header; returns the index of its data (F bytes). */
    static int writeParityHeader(ByteBuffer b, int o, long streamId, long frameNumber, long captureUs,
            int frameLength, int fragmentSize, int stride, int group) {
        return ParityFrame.writeHeader(b, o, streamId, frameNumber, 0, Math.max(0, captureUs), frameLength,
                fragmentSize, stride, group);
    }

    /** ABANDON; returns the index after it. */
    static int writeAbandon(ByteBuffer b, int o, long streamId, long frameNumber) {
        return AbandonFrame.encode(b, o, streamId, frameNumber);
    }

    /** STREAM_CLOSE's length with {@code reason}. */
    static int streamCloseLength(byte[] reason) {
        return StreamCloseFrame.REASON_OFFSET + reason.length;
    }

    /** STREAM_CLOSE from the stream's sender; returns the index after it. */
    static int writeStreamClose(ByteBuffer b, int o, long streamId, long frames, int code, byte[] reason) {
        return StreamCloseFrame.encode(b, o, streamId, frames, code, reason);
    }
}
