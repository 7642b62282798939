package io.udpix.bench.jmh;

import io.udpix.engine.crypto.PacketCipher;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
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
 * Per-packet cost of protecting a DATA packet in protocol v2: AES-256-GCM seal and open with the header as
 * associated data ({@link PacketCipher}, one reused Cipher per direction), beside the CRC32C of v1, for a
 * 1,400-byte and a 64 KB packet, in heap and direct buffers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2) // the AES-GCM intrinsics need a long warm-up before 64 KB packets are fast
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AeadBenchmark {
    /** Packet sizes: one path MTU, one loopback jumbo datagram. */
    @Param({"1400", "65507"})
    public int packetBytes;

    /** Buffer kind: the simulator uses heap, the drivers direct buffers. */
    @Param({"heap", "direct"})
    public String buffer;

    private PacketCipher sender;
    private PacketCipher receiver;
    private final Crc32cProtection crc = new Crc32cProtection();
    private ByteBuffer packet;
    private long packetNumber;

    @Setup
    public void setUp() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(a);
        new SecureRandom().nextBytes(b);
        sender = new PacketCipher(a, b, 22);
        receiver = new PacketCipher(b, a, 22);
        packet = "direct".equals(buffer) ? ByteBuffer.allocateDirect(65_536) : ByteBuffer.allocate(65_536);
        byte[] body = new byte[65_536];
        new java.util.SplittableRandom(1).nextBytes(body);
        packet.put(0, body);
    }

    /** Seal one packet (what the sender pays). */
    @Benchmark
    public int seal() {
        PacketHeader.write(packet, 0, PacketType.DATA, 42L, packetNumber++ & 0x3F_FFFFL);
        return sender.seal(packet, 0, packetBytes - PacketCipher.TAG_BYTES);
    }

    /** Seal then open one packet (sender plus receiver). */
    @Benchmark
    public boolean sealAndOpen() {
        long pn = packetNumber++ & 0x3F_FFFFL;
        PacketHeader.write(packet, 0, PacketType.DATA, 42L, pn);
        int end = sender.seal(packet, 0, packetBytes - PacketCipher.TAG_BYTES);
        return receiver.open(packet, 0, end);
    }

    /** The CRC32C of protocol v1 over the same packet, for comparison. */
    @Benchmark
    public int crc32c() {
        return crc.seal(packet, 0, packetBytes - Crc32cProtection.TAG_LENGTH);
    }
}
