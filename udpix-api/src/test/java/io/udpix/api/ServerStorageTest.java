package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.wire.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiving side's storage over real loopback sockets (issue 10): off the I/O thread, O(1) names, quotas. */
class ServerStorageTest {
    @TempDir
    Path root;

    @Test
    void theDriverThreadNeverTouchesTheFileSystem() throws Exception {
        long seed = TestSeeds.seed(7);
        Path source = TestData.randomFile(root.resolve("big.bin"), 3_000_000, seed);
        Path out = root.resolve("out");
        List<String> touches = new CopyOnWriteArrayList<>();
        AtomicBoolean started = new AtomicBoolean();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out)
                .storageAudit(op -> {
                    if (started.get()) {
                        touches.add(op + " on " + Thread.currentThread().getName());
                    }
                }).start()) {
            started.set(true);
            try (UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
                client.send(Item.file(source));
                client.send(Item.jsonText("{\"a\":1}"));
                client.send(Item.bytes(new byte[0], "empty.bin"));
                client.send(Item.bytes("x".getBytes(StandardCharsets.UTF_8), "big.bin"));
            }
        }
        assertThat(touches).as("seed=%d", seed)
                .anyMatch(t -> t.startsWith("write")).anyMatch(t -> t.startsWith("commit"))
                .anyMatch(t -> t.startsWith("append")).anyMatch(t -> t.startsWith("create"));
        assertThat(touches).allMatch(t -> t.contains(" on udpix-storage-"), "every file-system call on a storage thread");
        assertThat(TestData.sha256(out.resolve("big.bin"))).isEqualTo(TestData.sha256(source));
        assertThat(Files.readString(out.resolve("big (1).bin"))).isEqualTo("x");
    }

    @Test
    void aTenMegabyteItemAfterNineThousandSameNamedFilesTakesOneNameAttempt() throws Exception {
        long seed = TestSeeds.seed(9);
        Path out = Files.createDirectories(root.resolve("out"));
        Files.createFile(out.resolve("a.txt"));
        for (int i = 1; i < 9_000; i++) {
            Files.createFile(out.resolve("a (" + i + ").txt"));
        }
        Path source = TestData.randomFile(root.resolve("a.txt"), 10_000_000, seed);
        AtomicLong links = new AtomicLong();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out)
                .storageAudit(op -> {
                    if (op.equals("name")) {
                        links.incrementAndGet();
                    }
                }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.file(source));
        }
        assertThat(links.get()).as("names tried").isEqualTo(1);
        assertThat(TestData.sha256(out.resolve("a (9000).txt"))).as("seed=%d", seed)
                .isEqualTo(TestData.sha256(source));
    }

    @Test
    void refusesAnItemBeyondMaxTotalWithNoSpaceAndSaysWhatIsLeft() throws Exception {
        Path out = Files.createDirectories(root.resolve("out"));
        Files.write(out.resolve("old.bin"), new byte[40_000]); // existing files count
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).maxTotalBytes(100_000).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(new byte[50_000], "fits.bin"));

            UdpixException e = RoundTripTest.failure(client.sendAsync(Item.bytes(new byte[20_000], "over.bin")));

            assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SPACE);
            assertThat(e.kind()).isEqualTo(UdpixException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("the receiver is out of space").contains("--max-total")
                    .contains("item 19.5 KiB");
        }
        assertThat(out.resolve("over.bin")).doesNotExist();
        assertThat(TestData.partFiles(out)).isEmpty();
    }

    @Test
    void refusesAnItemTheDiskHasNoRoomForBeforeAnyByteIsSent() throws Exception {
        Path out = root.resolve("out");
        long freeBytes = StorageAdmission.FREE_SPACE_MARGIN_BYTES + 3_000_000;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out)
                .spaceProbe(() -> freeBytes).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(new byte[1_000_000], "small.bin"));

            UdpixException e = RoundTripTest.failure(client.sendAsync(Item.bytes(new byte[4_000_000], "big.bin")));

            assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SPACE);
            // 3 MB over the margin, less the 1 MB just written (the fixed probe cannot see it; a disk would).
            assertThat(e.getMessage()).contains("the receiver is out of space: 1.9 MiB free")
                    .contains("item 3.8 MiB");
        }
        assertThat(out.resolve("big.bin")).doesNotExist();
    }
}
