package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.wire.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names with directories over real loopback sockets: the receiver recreates them inside its output directory,
 * and no name a sender chooses, nor a link planted in the directory, puts a byte outside it.
 */
class TreeStorageTest {
    @TempDir
    Path root;

    @Test
    void storesHostileRawNamesInsideTheDirectoryOrRefusesThemCounted() throws Exception {
        Path out = Files.createDirectories(root.resolve("a/b/out"));
        List<String> refused = new ArrayList<>();
        long namesRefused;
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            for (String name : List.of("../../etc/passwd", "/abs/x", "a/../../b", "a\\..\\c", "C:x", "./.",
                    "a//d", "ctl\u0001/\u0007bell\n.txt", "..\\..\\win\\win.ini", ".hidden/..x",
                    "deep/" + "d/".repeat(39) + "f.txt")) {
                try {
                    client.send(Item.raw(ItemKind.FILE, name, MediaTypes.OCTET_STREAM,
                            name.getBytes(StandardCharsets.UTF_8)));
                } catch (UdpixException e) {
                    assertThat(e.errorCode()).as(name).isEqualTo(ErrorCode.REFUSED);
                    assertThat(e).hasMessageContaining("40 directory levels").hasMessageContaining("at most 16");
                    refused.add(name);
                }
            }
            namesRefused = server.stats().namesRefused();
        }
        assertThat(refused).containsExactly("deep/" + "d/".repeat(39) + "f.txt");
        assertThat(namesRefused).isEqualTo(1);
        assertThat(out.resolve("etc/passwd")).hasContent("../../etc/passwd");
        assertThat(out.resolve("abs/x")).hasContent("/abs/x");
        assertThat(out.resolve("a/b")).hasContent("a/../../b");
        assertThat(out.resolve("a/c")).hasContent("a\\..\\c");
        assertThat(out.resolve("Cx")).hasContent("C:x");
        assertThat(out.resolve("file-1.bin")).hasContent("./.");
        assertThat(out.resolve("a/d")).hasContent("a//d");
        // The client's wire text turns controls into '_' before they are sent.
        assertThat(out.resolve("ctl_/_bell_.txt")).exists();
        assertThat(out.resolve("win/win.ini")).exists();
        assertThat(out.resolve("hidden/x")).exists();
        assertNothingOutside(out);
    }

    @Test
    void neverWritesThroughALinkPlantedInsideTheDirectoryAndCountsTheRefusal() throws Exception {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Path out = Files.createDirectories(root.resolve("out"));
        Files.createSymbolicLink(out.resolve("planted"), outside);
        Files.createDirectories(out.resolve("real"));
        Files.createSymbolicLink(out.resolve("real/deeper"), outside);
        Files.writeString(out.resolve("afile"), "already here");
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            // Empty, one-datagram and many-chunk items: the refusal comes from the commit or from the first write.
            for (int sizeBytes : new int[] {0, 10, 300_000}) {
                for (String name : List.of("planted/x.txt", "real/deeper/y.txt", "afile/z.txt")) {
                    assertThatThrownBy(() -> client.send(Item.bytes(new byte[sizeBytes], name)))
                            .as(name + " of " + sizeBytes + " bytes").isInstanceOfSatisfying(UdpixException.class,
                                    e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.REFUSED))
                            .hasMessageContaining(name.startsWith("afile") ? "as a file, not a directory"
                                    : "symbolic link");
                }
            }
            // The connection is still good, and an ordinary tree name lands.
            client.send(Item.bytes("ok".getBytes(StandardCharsets.UTF_8), "real/fine.txt"));
            assertThat(server.stats().namesRefused()).isEqualTo(9);
        }
        try (Stream<Path> entries = Files.list(outside)) {
            assertThat(entries).isEmpty();
        }
        assertThat(Files.isSymbolicLink(out.resolve("planted"))).isTrue();
        assertThat(out.resolve("afile")).hasContent("already here");
        assertThat(out.resolve("real/fine.txt")).hasContent("ok");
        assertNothingOutside(out);
    }

    @Test
    void keepsAnItemsMetadataSidecarBesideItInItsFolder() throws Exception {
        Path out = root.resolve("out");
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes("door".getBytes(StandardCharsets.UTF_8), "cams/door-2/frame.bin")
                    .withMeta("camera", "door-2"));
        }
        assertThat(out.resolve("cams/door-2/frame.bin")).hasContent("door");
        assertThat(out.resolve("cams/door-2/frame.bin.meta.json")).content(StandardCharsets.UTF_8)
                .contains("\"camera\":\"door-2\"");
        assertNothingOutside(out);
    }

    /** Every regular file under the test's root is inside {@code out}, and no temporary file is left. */
    private void assertNothingOutside(Path out) throws IOException {
        try (Stream<Path> everything = Files.walk(root)) {
            List<Path> files = everything.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
            assertThat(files).allSatisfy(p -> assertThat(p).startsWith(out));
            assertThat(files).noneMatch(p -> p.getFileName().toString().endsWith(".part"));
        }
    }
}
