package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainSpillDirectoryTest {
    @TempDir
    Path out;
    @TempDir
    Path elsewhere;

    @Test
    void createsTheSpillFolderInsideTheOutputFolderForTheOwnerOnly() throws IOException {
        Path spill = PlainSpillDirectory.prepare(out);
        assertThat(spill).isEqualTo(out.resolve(".udpix-spill")).isDirectory();
        if (Files.getFileAttributeView(spill, PosixFileAttributeView.class) != null) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spill))).isEqualTo("rwx------");
        }
    }

    @Test
    void tightensTheFolderAndDeletesWhatACrashLeftThereButFollowsNoLink() throws IOException {
        Path spill = Files.createDirectories(out.resolve(".udpix-spill"));
        boolean posix = Files.getFileAttributeView(spill, PosixFileAttributeView.class) != null;
        if (posix) {
            Files.setPosixFilePermissions(spill, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.write(spill.resolve("udpix-plain-1.part"), new byte[4096]);
        Files.write(spill.resolve("udpix-plain-2.part"), new byte[10]);
        Path outside = Files.write(elsewhere.resolve("precious.txt"), new byte[] {1});
        Files.createSymbolicLink(spill.resolve("link.part"), outside);

        PlainSpillDirectory.prepare(out);
        assertThat(list(spill)).isEmpty();
        assertThat(outside).exists().hasBinaryContent(new byte[] {1});
        if (posix) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spill))).isEqualTo("rwx------");
        }
    }

    @Test
    void refusesASpillPathThatIsALinkOrAFile() throws IOException {
        Files.createSymbolicLink(out.resolve(".udpix-spill"), elsewhere);
        assertThatThrownBy(() -> PlainSpillDirectory.prepare(out)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a folder").hasMessageContaining("remove it");
    }

    @Test
    void spillFilesOfAReceiverGoThereAndAreOwnerOnly() throws IOException {
        Path spill = PlainSpillDirectory.prepare(out);
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder().memoryPerItemBytes(1024)
                .spillDirectory(spill).build())) {
            java.net.InetSocketAddress from = new java.net.InetSocketAddress("127.0.0.1", 40001);
            h.send(from, PlainHeaderFormat.DEFAULT.encode(10_000));
            h.send(from, new byte[5000]);
            List<Path> files = list(spill);
            assertThat(files).hasSize(1);
            if (Files.getFileAttributeView(spill, PosixFileAttributeView.class) != null) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))))
                        .isEqualTo("rw-------");
            }
            h.send(from, new byte[5000]);
            PlainItem item = h.receiver.pollItem();
            assertThat(item.spillFile()).contains(files.get(0));
            item.discard();
            assertThat(list(spill)).isEmpty();
        }
    }

    @Test
    void withoutASpillFolderAnItemTooLargeForMemoryIsDiscardedNotWrittenToTheTemporaryDirectory() {
        try (ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder().memoryPerItemBytes(1024)
                .build())) {
            java.net.InetSocketAddress from = new java.net.InetSocketAddress("127.0.0.1", 40001);
            h.send(from, PlainHeaderFormat.DEFAULT.encode(10_000));
            h.send(from, new byte[5000]);
            assertThat(h.replies()).last().extracting(ReceiverHarness.Reply::text).asString()
                    .startsWith("error: receiver could not store the item (no memory left for this item and no spill"
                            + " directory is configured");
            assertThat(h.receiver.counters().errors(PlainErrorReason.STORE_FAILED)).isEqualTo(1);
            assertThat(h.receiver.openItems()).isZero();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
