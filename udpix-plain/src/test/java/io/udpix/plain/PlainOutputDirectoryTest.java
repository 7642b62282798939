package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainOutputDirectoryTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 50123);

    @TempDir
    Path dir;

    @Test
    void storesItemsAsNumberedFilesNamedAfterTheSender() throws Exception {
        PlainOutputDirectory out = new PlainOutputDirectory(dir.resolve("received"));
        byte[] bytes = {1, 2, 3};
        Path first = out.store(new PlainItem(FROM, PlainItemKind.IMAGE, "jpg", 3, bytes, null));
        Path second = out.store(new PlainItem(FROM, PlainItemKind.BYTES, "bin", 3, bytes, null));
        assertThat(first.getFileName().toString()).isEqualTo("item-000001-127.0.0.1-50123.jpg");
        assertThat(second.getFileName().toString()).isEqualTo("item-000002-127.0.0.1-50123.bin");
        assertThat(Files.readAllBytes(first)).isEqualTo(bytes);
    }

    @Test
    void skipsNamesLeftByAnEarlierRun() throws Exception {
        Files.write(dir.resolve("item-000001-127.0.0.1-50123.png"), new byte[] {9});
        Path stored = new PlainOutputDirectory(dir).store(new PlainItem(FROM, PlainItemKind.IMAGE, "png", 1,
                new byte[] {7}, null));
        assertThat(stored.getFileName().toString()).isEqualTo("item-000002-127.0.0.1-50123.png");
        assertThat(Files.readAllBytes(dir.resolve("item-000001-127.0.0.1-50123.png"))).containsExactly(9);
    }

    @Test
    void appendsJsonMessagesAsOneLineEach() throws Exception {
        PlainOutputDirectory out = new PlainOutputDirectory(dir);
        byte[] pretty = "{\r\n  \"a\": \"x\\ny\",\n  \"b\": [1, 2]\n}".getBytes(StandardCharsets.UTF_8);
        out.accept(new PlainItem(FROM, PlainItemKind.JSON, "json", pretty.length, pretty.clone(), null));
        out.accept(new PlainItem(FROM, PlainItemKind.JSON, "json", 3, "[1]".getBytes(StandardCharsets.UTF_8), null));
        List<String> lines = Files.readAllLines(dir.resolve(PlainOutputDirectory.MESSAGES_FILE));
        assertThat(lines).containsExactly("{    \"a\": \"x\\ny\",   \"b\": [1, 2] }", "[1]");
        assertThat(ItemSniffer.isJsonDocument(lines.get(0).getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void movesASpilledItemRatherThanCopyingIt() throws Exception {
        Path spill = Files.write(dir.resolve("udpix-plain-1.part"), new byte[] {4, 5, 6});
        Path stored = new PlainOutputDirectory(dir.resolve("out")).store(new PlainItem(FROM, PlainItemKind.BYTES,
                "bin", 3, null, spill));
        assertThat(Files.exists(spill)).isFalse();
        assertThat(Files.readAllBytes(stored)).containsExactly(4, 5, 6);
    }
}
