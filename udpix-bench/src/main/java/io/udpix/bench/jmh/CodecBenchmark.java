package io.udpix.bench.jmh;

import io.udpix.wire.AckFrame;
import io.udpix.wire.ChunkFrame;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of building and of validating one DATA packet carrying one CHUNK (header, frame, data copy, CRC32C tag),
 * and of an ACK frame with many SACK ranges: the per-packet work of the wire layer on both sides.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** Datagram sizes: a 1500-byte path and a jumbo/loopback one. */
    @Param({"1452", "8952"})
    public int datagramBytes;

    private final Crc32cProtection protection = new Crc32cProtection();
    private final ChunkFrame chunk = new ChunkFrame();
    private final AckFrame ack = new AckFrame();
    private ByteBuffer packet;
    private ByteBuffer sealed;
    private ByteBuffer ackPacket;
    private byte[] content;
    private int dataLength;
    private long packetNumber;
    private long contentOffset;

    @Setup
    public void setUp() {
        packet = ByteBuffer.allocate(65_536);
        dataLength = datagramBytes - PacketHeader.LENGTH - ChunkFrame.HEADER_LENGTH - Crc32cProtection.TAG_LENGTH;
        content = new byte[1 << 20];
        new java.util.SplittableRandom(1).nextBytes(content);
        sealed = ByteBuffer.allocate(65_536);
        int end = writeChunkPacket(sealed, 7, 0);
        sealed.limit(end);
        ackPacket = ByteBuffer.allocate(2048);
        int body = PacketHeader.write(ackPacket, 0, PacketType.DATA, 42L, 9);
        ack.wrap(ackPacket, body).writeType().largestAcknowledged(100_000).ackDelayUs(25).rangeCount(AckFrame.MAX_RANGES)
                .firstRange(10);
        for (int i = 0; i < AckFrame.MAX_RANGES; i++) {
            ack.gap(i, 3).rangeLength(i, 20);
        }
        ackPacket.limit(protection.seal(ackPacket, 0, body + ack.length()) + 0);
    }

    private int writeChunkPacket(ByteBuffer buf, long pn, long offset) {
        int body = PacketHeader.write(buf, 0, PacketType.DATA, 0x1234_5678_9ABCL, pn);
        int data = ChunkFrame.writeHeader(buf, body, 3, offset, dataLength);
        int from = (int) (offset & ((1 << 20) - 1));
        int n = Math.min(dataLength, content.length - from);
        buf.put(data, content, from, n);
        buf.limit(buf.capacity());
        return protection.seal(buf, 0, data + dataLength);
    }

    /** Sender side: header, CHUNK frame header, copy of the data, CRC32C tag. */
    @Benchmark
    public int encodeChunkPacket() {
        packetNumber++;
        contentOffset += dataLength;
        return writeChunkPacket(packet, packetNumber & PacketHeader.MAX_PACKET_NUMBER, contentOffset);
    }

    /** Receiver side: tag check, header check, CHUNK check and field reads (the data is not copied). */
    @Benchmark
    public long decodeChunkPacket() {
        int end = sealed.limit();
        if (!protection.open(sealed, 0, end) || PacketHeader.check(sealed, 0, end) < 0) {
            return -1;
        }
        int frameEnd = end - Crc32cProtection.TAG_LENGTH;
        int n = ChunkFrame.check(sealed, PacketHeader.LENGTH, frameEnd);
        if (n < 0) {
            return -1;
        }
        chunk.wrap(sealed, PacketHeader.LENGTH);
        return chunk.transferId() + chunk.offset() + chunk.dataLength();
    }

    /** Receiver side of an ACK with 64 SACK ranges: tag, check and walking every range. */
    @Benchmark
    public long decodeAckWith64Ranges() {
        int end = ackPacket.limit();
        if (!protection.open(ackPacket, 0, end)) {
            return -1;
        }
        int frameEnd = end - Crc32cProtection.TAG_LENGTH;
        if (AckFrame.check(ackPacket, PacketHeader.LENGTH, frameEnd) < 0) {
            return -1;
        }
        ack.wrap(ackPacket, PacketHeader.LENGTH);
        long sum = ack.largestAcknowledged() - ack.firstRange();
        for (int i = 0, count = ack.rangeCount(); i < count; i++) {
            sum -= ack.gap(i) + ack.rangeLength(i);
        }
        return sum;
    }
}
