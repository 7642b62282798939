package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a sender names an item never decides where the server writes, nor overwrites what is there. */
class SafeStorageTest {
    @TempDir
    Path root;

    @Test
    void storesAHostileNameAsASafePathInsideTheDirectory() throws Exception {
        Path out = Files.createDirectories(root.resolve("a").resolve("b").resolve("out"));
        byte[] content = "root:x:0:0".getBytes(StandardCharsets.UTF_8);
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.raw(ItemKind.FILE, "../../etc/passwd", MediaTypes.OCTET_STREAM, content));
            client.send(Item.raw(ItemKind.FILE, "..\\..\\windows\\win.ini", MediaTypes.OCTET_STREAM, content));
            client.send(Item.raw(ItemKind.FILE, "..", MediaTypes.OCTET_STREAM, content));
        }
        // "..", "." and empty parts are dropped; the rest of the path is kept inside the directory.
        assertThat(TestData.visibleFiles(out)).containsExactlyInAnyOrder("messages.jsonl", "etc", "windows",
                "file-1.bin");
        assertThat(Files.readAllBytes(out.resolve("etc/passwd"))).isEqualTo(content);
        assertThat(Files.readAllBytes(out.resolve("windows/win.ini"))).isEqualTo(content);
        // Nothing next to or above the output directory.
        assertThat(TestData.fileNames(root.resolve("a").resolve("b"))).containsExactly("out");
        assertThat(TestData.fileNames(root.resolve("a"))).containsExactly("b");
        assertThat(TestData.fileNames(root)).containsExactly("a");
    }

    @Test
    void givesAClashingNameANumericSuffixAndKeepsEveryVersion() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(root).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            for (int i = 0; i < 3; i++) {
                client.send(Item.bytes(("version " + i).getBytes(StandardCharsets.UTF_8), "notes.txt"));
            }
        }
        assertThat(TestData.visibleFiles(root)).containsExactly("messages.jsonl", "notes (1).txt", "notes (2).txt",
                "notes.txt");
        assertThat(Files.readString(root.resolve("notes.txt"))).isEqualTo("version 0");
        assertThat(Files.readString(root.resolve("notes (1).txt"))).isEqualTo("version 1");
        assertThat(Files.readString(root.resolve("notes (2).txt"))).isEqualTo("version 2");
    }
}
