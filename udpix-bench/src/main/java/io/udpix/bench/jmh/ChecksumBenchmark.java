package io.udpix.bench.jmh;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
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
 * Throughput of the two checks every byte goes through: SHA-256 (end to end, once per byte on each side) and
 * CRC32C (per packet, on each side). Divide {@code bufferBytes} by the time per operation for bytes per second;
 * SHA-256 bounds a single-threaded sender's or receiver's goodput.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChecksumBenchmark {
    @Param({"1452", "65536"})
    public int bufferBytes;

    private byte[] bytes;
    private ByteBuffer direct;
    private MessageDigest sha256;
    private final CRC32C crc = new CRC32C();

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        bytes = new byte[bufferBytes];
        new SplittableRandom(7).nextBytes(bytes);
        direct = ByteBuffer.allocateDirect(bufferBytes);
        direct.put(bytes).flip();
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    /** SHA-256 update over a heap array (the digest is finished elsewhere, once per item). */
    @Benchmark
    public MessageDigest sha256Update() {
        sha256.update(bytes, 0, bytes.length);
        return sha256;
    }

    /** CRC32C over a heap array, as a packet tag. */
    @Benchmark
    public long crc32cHeap() {
        crc.reset();
        crc.update(bytes, 0, bytes.length);
        return crc.getValue();
    }

    /** CRC32C over a direct buffer (what a native driver hands over). */
    @Benchmark
    public long crc32cDirect() {
        crc.reset();
        direct.position(0).limit(bufferBytes);
        crc.update(direct);
        return crc.getValue();
    }
}
