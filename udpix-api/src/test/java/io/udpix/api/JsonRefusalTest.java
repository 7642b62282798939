package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invalid JSON never lands in messages.jsonl: the sender hears the parser's reason. */
class JsonRefusalTest {
    @TempDir
    Path dir;

    @Test
    void refusesInvalidJsonWithTheParserReasonAtTheSenderAndWritesNothing() throws Exception {
        byte[] broken = "{\"a\": 1,}".getBytes(StandardCharsets.UTF_8);
        List<ReceivedItem> handled = new CopyOnWriteArrayList<>();
        List<ServerEvent> events = new CopyOnWriteArrayList<>();
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(dir).onJson(handled::add)
                .onEvent(events::add).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            // Item.raw skips the client's own check, as a sender in another language might.
            UdpixException e = RoundTripTest.failure(client.sendAsync(
                    Item.raw(ItemKind.JSON, "bad.json", MediaTypes.JSON, broken)));

            assertThat(e.kind()).isEqualTo(UdpixException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("bad.json").contains("invalid JSON").contains("line 1");
            // The connection stays usable for valid messages.
            client.send(Item.jsonText("{\"a\": 1}"));
        }
        assertThat(Files.readAllLines(dir.resolve("messages.jsonl"))).hasSize(1).allMatch(l -> l.contains("\"a\":1"));
        assertThat(handled).hasSize(1);
        assertThat(events).anyMatch(ev -> ev.type() == ServerEvent.Type.FAILED && ev.message().contains("invalid JSON"));
        assertThat(TestData.visibleFiles(dir)).containsExactly("messages.jsonl");
        assertThat(TestData.partFiles(dir)).isEmpty();
    }

    @Test
    void rejectsInvalidJsonTextBeforeSendingAnything() {
        assertThatThrownBy(() -> Item.jsonText("[1, 2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> Item.jsonText("{} {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one value");
    }
}
