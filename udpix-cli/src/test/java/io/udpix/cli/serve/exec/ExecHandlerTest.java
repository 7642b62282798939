package io.udpix.cli.serve.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import io.udpix.api.Reply;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What a command's standard output becomes as a reply. */
class ExecHandlerTest {

    private static ExecOutcome ok(String stdout, long droppedBytes) {
        return new ExecOutcome(0, false, null, stdout.getBytes(StandardCharsets.UTF_8), droppedBytes, "", 1);
    }

    @Test
    void oneJsonDocumentIsAJsonReplyAnythingElseText() throws Exception {
        Item json = ExecHandler.replyOf(ok("{\"label\": \"cat\"}\n", 0)).content().orElseThrow();
        assertThat(json.kind()).isEqualTo(ItemKind.JSON);

        Item text = ExecHandler.replyOf(ok("cat 0.97\n", 0)).content().orElseThrow();
        assertThat(text.kind()).isEqualTo(ItemKind.BYTES);
        assertThat(text.mediaType()).isEqualTo(Reply.TEXT_MEDIA_TYPE);
        assertThat(text.sizeBytes()).isEqualTo(9);
    }

    @Test
    void cutOutputIsTextThatSaysSoAndNoOutputIsNoContent() {
        Item cut = ExecHandler.replyOf(ok("{\"a\": [1, 2", 500)).content().orElseThrow();
        assertThat(cut.kind()).as("a cut JSON document is not JSON any more").isEqualTo(ItemKind.BYTES);
        assertThat(cut.sizeBytes()).isGreaterThan(11);
        assertThat(ExecHandler.replyOf(ok("", 0)).content()).isEmpty();
        assertThat(ExecHandler.replyOf(ok("", 0)).errorMessage()).isEmpty();
    }
}
