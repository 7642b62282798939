package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What each kind of reply sends back. */
class ReplyTest {
    @Test
    void sendsTextAsUtf8BytesLabelledTextPlain() {
        Item item = Reply.text("façade").toItem();

        assertThat(item.kind()).isEqualTo(ItemKind.BYTES);
        assertThat(item.mediaType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(item.sizeBytes()).isEqualTo("façade".getBytes(StandardCharsets.UTF_8).length);
        assertThat(item.meta()).isEmpty();
    }

    @Test
    void checksJsonBeforeAnythingIsSent() {
        assertThat(Reply.json("{\"ok\":true}").toItem().kind()).isEqualTo(ItemKind.JSON);
        assertThatThrownBy(() -> Reply.json("{\"ok\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void sendsAnErrorAsAnEmptyItemCarryingItsStatusAndOneLineOfMessage() {
        Item item = Reply.error("camera\noffline " + "x".repeat(400)).toItem();

        assertThat(item.sizeBytes()).isZero();
        assertThat(item.meta()).containsEntry("udpix.status", "error");
        assertThat(item.meta().get("udpix.error")).startsWith("camera offline ").hasSize(255);
        assertThat(Reply.error("x").errorMessage()).hasValue("x");
        assertThat(Reply.error("x").content()).isEmpty();
    }

    @Test
    void sendsNothingButAnEmptyItemForNone() {
        Item item = Reply.none().toItem();

        assertThat(item.sizeBytes()).isZero();
        assertThat(item.meta()).isEmpty();
        assertThat(Reply.none().errorMessage()).isEmpty();
    }

    @Test
    void keepsAnItemsMetadataInItsReply() {
        Item item = Reply.item(Item.bytes(new byte[3], "r.bin").withMeta("camera", "door-2")).toItem();

        assertThat(item.meta()).containsEntry("camera", "door-2");
    }
}
