package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.udpix.api.Item;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an observer on the path records of a transfer contains none of the file: no 16-byte run of its random
 * content appears anywhere in the captured datagrams. Once with tcpdump on lo (where it and the right to capture
 * exist), once with an in-process relay that records every datagram.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CaptureTest {
    private static final int FILE_BYTES = (1 << 20) - 1;
    private static final int WINDOW = 16;

    @TempDir
    Path temp;

    @Test
    void aRelayRecordingEveryDatagramOfATransferSeesNoneOfTheFilesBytes() throws Exception {
        long seed = TestSeeds.seed(7001);
        byte[] content = TestFiles.bytes(FILE_BYTES, new SplittableRandom(seed));
        Path out = temp.resolve("received");
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        try (UdpixServer server = HostileServers.start(out, b -> { });
             RecordingRelay relay = new RecordingRelay(server.localAddresses().get(0))) {
            try (UdpixClient client = UdpixClient.builder(relay.address()).connect()) {
                client.send(Item.bytes(content, "secret.bin"));
            }
            relay.recorded().forEach(d -> seen.writeBytes(d.bytes()));
        }
        assertThat(Files.readAllBytes(out.resolve("secret.bin"))).isEqualTo(content);
        assertThat(seen.size()).as("the relay saw the transfer").isGreaterThan(FILE_BYTES);
        assertNoWindowOf(content, seen.toByteArray(), seed);
    }

    @Test
    void aTcpdumpCaptureOfATransferOnLoopbackContainsNoneOfTheFilesBytes() throws Exception {
        assumeTrue(onPath("tcpdump"), "tcpdump is not installed (CI installs it); skipping the capture on lo");
        long seed = TestSeeds.seed(7002);
        byte[] content = TestFiles.bytes(FILE_BYTES, new SplittableRandom(seed));
        Path out = temp.resolve("received");
        Path pcap = temp.resolve("capture.pcap");
        try (UdpixServer server = HostileServers.start(out, b -> { })) {
            int port = server.localAddresses().get(0).getPort();
            Process tcpdump = new ProcessBuilder("tcpdump", "-i", "lo", "-U", "-n", "-B", "16384", "-w", pcap.toString(),
                    "udp port " + port).redirectErrorStream(true).redirectOutput(temp.resolve("tcpdump.log").toFile())
                    .start();
            try {
                assumeTrue(awaitListening(tcpdump, temp.resolve("tcpdump.log")),
                        "tcpdump cannot capture on lo here (not root?): " + Files.readString(
                                temp.resolve("tcpdump.log")));
                try (UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
                    client.send(Item.bytes(content, "secret.bin"));
                }
                awaitStableSize(pcap); // -U writes each packet as it comes; wait until the last ones are written.
            } finally {
                tcpdump.destroy(); // SIGTERM: tcpdump flushes and closes the file.
                tcpdump.waitFor(5, TimeUnit.SECONDS);
                tcpdump.destroyForcibly();
            }
        }
        assertThat(Files.readAllBytes(out.resolve("secret.bin"))).isEqualTo(content);
        byte[] captured = Files.readAllBytes(pcap);
        // A sanity check that the capture saw the transfer. tcpdump may still lose a few packets on a busy machine
        // (its log then says "dropped by kernel"), so 90% of the file's size is asked for, not all of it.
        assertThat(captured.length).as("the capture holds the transfer; tcpdump said: %s",
                Files.readString(temp.resolve("tcpdump.log"))).isGreaterThan(FILE_BYTES * 9 / 10);
        assertNoWindowOf(content, captured, seed);
    }

    @Test
    void theCheckFindsASixteenByteRunOfTheFileHiddenInNoise() {
        long seed = TestSeeds.seed(7003);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] content = TestFiles.bytes(FILE_BYTES, random);
        byte[] noise = TestFiles.bytes(100_000, random);
        System.arraycopy(content, 777_777, noise, 54_321, WINDOW);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertNoWindowOf(content, noise, seed))
                .hasMessageContaining("first at byte 54321");
        assertNoWindowOf(content, Arrays.copyOf(noise, 54_321 + WINDOW - 1), seed); // One byte short: no run.
    }

    /** Waits (at most 5 s) until {@code file} stopped growing for 300 ms. */
    private static void awaitStableSize(Path file) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long size = -1;
        long stableSinceNs = System.nanoTime();
        while (System.nanoTime() - deadlineNs < 0) {
            long now = Files.exists(file) ? Files.size(file) : 0;
            if (now != size) {
                size = now;
                stableSinceNs = System.nanoTime();
            } else if (System.nanoTime() - stableSinceNs > TimeUnit.MILLISECONDS.toNanos(300)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static boolean awaitListening(Process tcpdump, Path log) throws Exception {
        long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadlineNs) {
            if (Files.readString(log).contains("listening on")) {
                return true;
            }
            if (!tcpdump.isAlive()) {
                return false;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Fails if any {@value #WINDOW}-byte run of {@code content} occurs in {@code haystack}. Every window of the
     * content goes into a sorted array as (top 44 bits of its hash, its offset); every window of the haystack is
     * looked up by its hash and a hit is confirmed byte for byte, so the check is exact and O(n log n).
     */
    static void assertNoWindowOf(byte[] content, byte[] haystack, long seed) {
        int windows = content.length - WINDOW + 1;
        long[] index = new long[windows];
        ByteBuffer c = ByteBuffer.wrap(content);
        for (int i = 0; i < windows; i++) {
            index[i] = (hash(c, i) & ~OFFSET_MASK) | i;
        }
        Arrays.sort(index);
        ByteBuffer h = ByteBuffer.wrap(haystack);
        int found = 0;
        int firstAt = -1;
        for (int i = 0; i + WINDOW <= haystack.length; i++) {
            if (occurs(content, index, hash(h, i) & ~OFFSET_MASK, haystack, i)) {
                found++;
                if (firstAt < 0) {
                    firstAt = i;
                }
                i += WINDOW - 1; // Count separate runs, not every offset inside one.
            }
        }
        assertThat(found).as("seed=%d: 16-byte runs of the file found in what the observer saw (first at byte %d)",
                seed, firstAt).isZero();
    }

    /** Offsets take the low 20 bits of an index entry (files up to 1 MiB). */
    private static final long OFFSET_MASK = (1L << 20) - 1;

    private static long hash(ByteBuffer b, int at) {
        return b.getLong(at) * 0x9E3779B97F4A7C15L ^ b.getLong(at + 8);
    }

    private static boolean occurs(byte[] content, long[] index, long key, byte[] haystack, int at) {
        int i = Arrays.binarySearch(index, key);
        i = i >= 0 ? i : -i - 1;
        for (; i < index.length && (index[i] & ~OFFSET_MASK) == key; i++) {
            int offset = (int) (index[i] & OFFSET_MASK);
            if (Arrays.equals(content, offset, offset + WINDOW, haystack, at, at + WINDOW)) {
                return true;
            }
        }
        return false;
    }
}
