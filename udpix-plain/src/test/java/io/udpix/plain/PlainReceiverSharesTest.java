package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainReceiverSharesTest {
    private static final long SECOND_NS = ReceiverHarness.SECOND_NS;
    private static final long GIB = 1L << 30;
    private static final InetSocketAddress INNOCENT = new InetSocketAddress("127.0.0.99", 45000);

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);

    @TempDir
    Path spillDir;

    @Test
    void aFourthSendersSmallImageGoesThroughWhileThreeSendersHoldAGibibyteEachAndSendNothing() throws IOException {
        // The tightest budget the shares allow for 1 GiB items: 4 GiB pending, 1 GiB per address.
        PlainReceiverConfig config = PlainReceiverConfig.builder().maxPendingBytes(4 * GIB).spillDirectory(spillDir)
                .build();
        try (ReceiverHarness h = new ReceiverHarness(config)) {
            for (int i = 1; i <= 3; i++) {
                h.send(new InetSocketAddress("127.0.0." + i, 40000), PlainHeaderFormat.DEFAULT.encode(GIB));
            }
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsOnly("received");
            assertThat(h.receiver.openItems()).isEqualTo(3);

            h.send(new InetSocketAddress("127.0.0.4", 40000), PlainHeaderFormat.DEFAULT.encode(GIB));
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).as("a fourth large claim would take the"
                    + " small-item reserve").containsExactly("error: r");

            byte[] jpg = TestImages.noise("jpg", 100, 80, random);
            for (byte[] d : PlainReceiverTest.chunked(PlainHeaderFormat.DEFAULT, jpg, 1024)) {
                h.send(INNOCENT, d);
            }
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsOnly("received");
            PlainItem item = h.receiver.pollItem();
            assertThat(item).isNotNull();
            assertThat(item.readAllBytes()).as("seed=" + seed).isEqualTo(jpg);
            assertThat(h.receiver.counters().errors(PlainErrorReason.BUSY)).isEqualTo(1);
        }
    }

    @Test
    void withTheDefaultsEightSendersClaimingAGibibyteEachCannotLockOutASmallItem() throws IOException {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder().spillDirectory(spillDir)
                .build())) {
            for (int i = 1; i <= 8; i++) {
                h.send(new InetSocketAddress("127.0.0." + i, 40000), PlainHeaderFormat.DEFAULT.encode(GIB));
            }
            assertThat(h.receiver.openItems()).as("8 GiB budget less the 1 GiB small-item reserve").isEqualTo(7);
            byte[] data = new byte[5 << 20];
            random.nextBytes(data);
            for (byte[] d : PlainReceiverTest.chunked(PlainHeaderFormat.DEFAULT, data, 60_000)) {
                h.send(INNOCENT, d);
            }
            assertThat(h.receiver.pollItem().readAllBytes()).as("seed=" + seed).isEqualTo(data);
        }
    }

    @Test
    void oneAddressCannotClaimMoreThanItsShareAcrossPorts() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            for (int port = 40001; port <= 40003; port++) {
                h.send(new InetSocketAddress("127.0.0.7", port), PlainHeaderFormat.DEFAULT.encode(GIB));
            }
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text)
                    .as("2 GiB per address: the third port's claim is refused")
                    .containsExactly("received", "received", "error: r");
            h.send(new InetSocketAddress("127.0.0.8", 40001), PlainHeaderFormat.DEFAULT.encode(GIB));
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsExactly("received");
        }
    }

    @Test
    void oneAddressCannotOpenMoreThanItsShareOfItems() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder().maxOpenSenders(8).build())) {
            for (int port = 40001; port <= 40003; port++) {
                h.send(new InetSocketAddress("127.0.0.7", port), PlainHeaderFormat.DEFAULT.encode(100));
            }
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsExactly("received", "received",
                    "error: r");
            assertThat(h.receiver.openItems()).isEqualTo(2);
            h.send(new InetSocketAddress("127.0.0.8", 40001), PlainHeaderFormat.DEFAULT.encode(100));
            assertThat(h.receiver.openItems()).isEqualTo(3);
        }
    }

    @Test
    void oneAddressHoldsAtMostAQuarterOfTheMemoryAndSpillsTheRest() throws IOException {
        PlainReceiverConfig config = PlainReceiverConfig.builder().memoryTotalBytes(4 << 20)
                .spillDirectory(spillDir).build();
        try (ReceiverHarness h = new ReceiverHarness(config)) {
            byte[] data = new byte[3 << 20];
            random.nextBytes(data);
            for (byte[] d : PlainReceiverTest.chunked(PlainHeaderFormat.DEFAULT, data, 60_000)) {
                h.send(new InetSocketAddress("127.0.0.7", 40001), d);
                assertThat(h.receiver.memoryInUseBytes()).isLessThanOrEqualTo(1 << 20);
            }
            PlainItem item = h.receiver.pollItem();
            assertThat(item.inMemory()).isFalse();
            assertThat(item.readAllBytes()).isEqualTo(data);
            item.discard();
        }
    }

    @Test
    void aSilentClaimLosesItsReservationAfterThePlainTimeoutAndEverythingIsFreed() throws IOException {
        PlainReceiverConfig config = PlainReceiverConfig.builder().maxPendingBytes(4 * GIB)
                .memoryPerItemBytes(1 << 16).spillDirectory(spillDir).silenceTimeout(Duration.ofSeconds(10)).build();
        try (ReceiverHarness h = new ReceiverHarness(config)) {
            InetSocketAddress silent = new InetSocketAddress("127.0.0.1", 40001);
            InetSocketAddress steady = new InetSocketAddress("127.0.0.2", 40001);
            h.send(silent, PlainHeaderFormat.DEFAULT.encode(GIB));
            h.send(silent, new byte[50_000]);
            h.send(silent, new byte[50_000]); // past 64 KiB: spilled
            h.send(steady, PlainHeaderFormat.DEFAULT.encode(GIB));
            assertThat(listFiles(spillDir)).hasSize(1);
            for (int s = 0; s < 3; s++) {
                h.advance(4 * SECOND_NS);
                h.send(steady, new byte[1000]);
            }
            assertThat(h.receiver.openBySender().keySet()).as("the timeout is per item").containsExactly(steady);
            assertThat(listFiles(spillDir)).as("the silent item's spill file is deleted").isEmpty();
            assertThat(h.receiver.addressesWithOpenItems()).isEqualTo(1);
            assertThat(h.receiver.counters().errors(PlainErrorReason.SILENCE)).isEqualTo(1);

            h.advance(11 * SECOND_NS);
            assertThat(h.receiver.openItems()).isZero();
            assertThat(h.receiver.memoryInUseBytes()).isZero();
            assertThat(h.receiver.addressesWithOpenItems()).isZero();
            // The whole budget is free again: four 1 GiB claims from four addresses, less the reserve, fit again.
            h.replies();
            for (int i = 1; i <= 3; i++) {
                h.send(new InetSocketAddress("127.0.0." + i, 40009), PlainHeaderFormat.DEFAULT.encode(GIB));
            }
            assertThat(h.replies()).extracting(ReceiverHarness.Reply::text).containsOnly("received");
        }
    }

    private static List<Path> listFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
