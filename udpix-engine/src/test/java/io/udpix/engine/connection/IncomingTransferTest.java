package io.udpix.engine.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.engine.util.Sha256Digests;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncomingTransferTest {

    /** Records every write's size and the bytes, in order. */
    private static class RecordingSink implements TransferSink {
        final List<Integer> writes = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean completed;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            byte[] b = new byte[n];
            src.get(b);
            bytes.write(b, 0, n);
            writes.add(n);
            return n;
        }

        @Override
        public void complete(byte[] sha256) {
            completed = true;
        }

        @Override
        public void abort(String reason) {
        }
    }

    @Test
    void handsInOrderBytesToTheSinkInBatchesNotPerDatagramAndTheLastOnesAtOnce() {
        byte[] content = new byte[1_000_000];
        new Random(7).nextBytes(content);
        RecordingSink sink = new RecordingSink();
        IncomingTransfer t = new IncomingTransfer(1, info(content), sink, 8 << 20, 0);
        ByteBuffer wire = ByteBuffer.wrap(content);

        int chunk = 1_400;
        for (int offset = 0; offset < content.length; offset += chunk) {
            int length = Math.min(chunk, content.length - offset);
            assertThat(t.onChunk(wire, offset, offset, length)).isEqualTo(length);
            assertThat(t.deliver()).isTrue();
        }

        assertThat(sink.completed).isTrue();
        assertThat(t.resultCode).isEqualTo(ErrorCode.OK);
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
        // 1,000,000 bytes in 1,400-byte chunks is 715 datagrams; batches of 256 KiB make 4 writes.
        assertThat(sink.writes).hasSize(4);
        assertThat(sink.writes.subList(0, 3)).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(
                IncomingTransfer.DELIVERY_BATCH_BYTES));
    }

    @Test
    void batchesAtMostAQuarterOfASmallWindowSoCreditKeepsFlowing() {
        byte[] content = new byte[40_000];
        new Random(8).nextBytes(content);
        RecordingSink sink = new RecordingSink();
        IncomingTransfer t = new IncomingTransfer(1, info(content), sink, 16_000, 0);
        ByteBuffer wire = ByteBuffer.wrap(content);

        for (int offset = 0; offset < 4_000; offset += 1_000) {
            t.onChunk(wire, offset, offset, 1_000);
            t.deliver();
        }

        assertThat(t.deliveredOffset()).isEqualTo(4_000);
        assertThat(t.creditOffset()).isEqualTo(20_000);
    }

    @Test
    void fillsASinkThatOffersItsArrayInPlaceWithoutARingOrWrites() {
        byte[] content = new byte[300_000];
        new Random(9).nextBytes(content);
        byte[] array = new byte[content.length];
        long[] placed = {0};
        RecordingSink sink = new RecordingSink() {
            @Override
            public byte[] placementArray() {
                return array;
            }

            @Override
            public void placed(long bytes) {
                assertThat(bytes).isGreaterThan(placed[0]);
                placed[0] = bytes;
            }
        };
        IncomingTransfer t = new IncomingTransfer(1, info(content), sink, 8 << 20, 0);
        ByteBuffer wire = ByteBuffer.wrap(content);

        // Second half first, then the first half: out of order, as datagrams may arrive.
        int half = content.length / 2;
        for (int offset : new int[] {half, 0}) {
            for (int o = offset; o < offset + half; o += 1_400) {
                int length = Math.min(1_400, offset + half - o);
                t.onChunk(wire, o, o, length);
                t.deliver();
            }
        }

        assertThat(t.direct).isTrue();
        assertThat(t.reservedBytes()).isZero();
        assertThat(sink.writes).isEmpty();
        assertThat(placed[0]).isEqualTo(content.length);
        assertThat(array).isEqualTo(content);
        assertThat(sink.completed).isTrue();
        assertThat(t.resultCode).isEqualTo(ErrorCode.OK);
    }

    private static TransferInfo info(byte[] content) {
        return new TransferInfo(TransferKind.BYTES, "x.bin", "application/octet-stream", content.length,
                Sha256Digests.newDigest().digest(content));
    }

    @Test
    void theReassemblyRingStartsSmallAndGrowsOnlyAsDataArrivesAheadOfDelivery() {
        byte[] content = new byte[3_000_000];
        new Random(11).nextBytes(content);
        RecordingSink sink = new RecordingSink();
        int window = 2 << 20;
        IncomingTransfer t = new IncomingTransfer(1, info(content), sink, window, 0);
        assertThat(t.ringBytes()).isEqualTo(IncomingTransfer.INITIAL_RING_BYTES);
        ByteBuffer wire = ByteBuffer.wrap(content);
        // Out of order: the far end of the window first (it forces growth to the window), then the rest.
        int chunk = 1_400;
        int farOffset = window - chunk;
        assertThat(t.onChunk(wire, farOffset, farOffset, chunk)).isEqualTo(chunk);
        assertThat(t.ringBytes()).isEqualTo(window);
        for (int offset = 0; offset < content.length; offset += chunk) {
            int length = Math.min(chunk, content.length - offset);
            assertThat(t.violates(offset, length)).isFalse();
            t.onChunk(wire, offset, offset, length);
            assertThat(t.deliver()).isTrue();
        }
        assertThat(sink.completed).isTrue();
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
    }

    @Test
    void aGrowingRingKeepsBytesNotYetDelivered() {
        byte[] content = new byte[400_000];
        new Random(12).nextBytes(content);
        RecordingSink sink = new RecordingSink();
        IncomingTransfer t = new IncomingTransfer(1, info(content), sink, 1 << 20, 0);
        ByteBuffer wire = ByteBuffer.wrap(content);
        int chunk = 1_000;
        // In order but below a delivery batch at first (nothing goes to the sink), then past the first ring length.
        for (int offset = 0; offset < content.length; offset += chunk) {
            t.onChunk(wire, offset, offset, chunk);
        }
        assertThat(t.ringBytes()).isGreaterThan(IncomingTransfer.INITIAL_RING_BYTES);
        assertThat(t.deliver()).isTrue();
        assertThat(sink.completed).isTrue();
        assertThat(sink.bytes.toByteArray()).isEqualTo(content);
    }
}
