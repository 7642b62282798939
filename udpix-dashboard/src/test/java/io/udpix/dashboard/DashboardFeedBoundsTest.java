package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.ItemKind;
import io.udpix.api.ServerEvent;
import io.udpix.api.stream.Frame;
import io.udpix.engine.stream.StreamCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Every structure the server's threads write into is bounded, and what they do there never waits. */
class DashboardFeedBoundsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5000);

    @Test
    void transfersKeepAtMost256InProgressAndTheLast20FinishedNewestFirst() {
        TransferBook book = new TransferBook();
        for (int i = 0; i < 300; i++) {
            book.apply(event(ServerEvent.Type.STARTED, "f" + i));
        }
        assertThat(book.rows()).hasSize(TransferBook.MAX_IN_PROGRESS);
        book.apply(event(ServerEvent.Type.PROGRESS, "f0"));
        assertThat(book.rows()).hasSize(TransferBook.MAX_IN_PROGRESS);
        for (int i = 0; i < 30; i++) {
            book.apply(event(i % 2 == 0 ? ServerEvent.Type.COMPLETED : ServerEvent.Type.FAILED, "f" + i));
        }
        List<TransferRow> rows = book.rows();
        assertThat(rows).hasSize(TransferBook.MAX_IN_PROGRESS - 30 + TransferBook.MAX_FINISHED);
        assertThat(rows.get(0).name()).as("in progress first").isEqualTo("f30");
        TransferRow newestFinished = rows.get(TransferBook.MAX_IN_PROGRESS - 30);
        assertThat(newestFinished.name()).isEqualTo("f29");
        assertThat(newestFinished.state()).isEqualTo("FAILED");
        assertThat(rows.get(rows.size() - 1).name()).as("the 20th newest").isEqualTo("f10");
    }

    @Test
    void aJsonMessageShowsItsFirst2KiBCutBetweenCharacters() {
        byte[] text = "é".repeat(3_000).getBytes(StandardCharsets.UTF_8); // 2 bytes each
        String head = JsonMessage.head(text);
        assertThat(head).isEqualTo("é".repeat(1_024));
        byte[] odd = ("x" + "é".repeat(3_000)).getBytes(StandardCharsets.UTF_8);
        assertThat(JsonMessage.head(odd)).as("never half a character").doesNotContain("\uFFFD")
                .isEqualTo("x" + "é".repeat(1_023));
        assertThat(JsonMessage.head("{}".getBytes(StandardCharsets.UTF_8))).isEqualTo("{}");
    }

    @Test
    void streamsAreBoundedOnlyJpegFramesAreKeptAndAViewerHoldsOnlyTheLatest() {
        LiveFrames frames = new LiveFrames();
        for (int i = 0; i < LiveFrames.MAX_STREAMS + 10; i++) {
            frames.frame(frame(i, 1, StreamCodec.JPEG));
        }
        int kept = 0;
        for (int i = 0; i < LiveFrames.MAX_STREAMS + 10; i++) {
            kept += frames.latest(key(i)) != null ? 1 : 0;
        }
        assertThat(kept).isEqualTo(LiveFrames.MAX_STREAMS);
        assertThat(frames.latest(key(LiveFrames.MAX_STREAMS + 9))).as("the newest stays").isNotNull();

        AtomicReference<Frame> slot = new AtomicReference<>();
        AtomicInteger ends = new AtomicInteger();
        LiveFrames.Viewer viewer = new LiveFrames.Viewer() {
            @Override
            public void offer(Frame frame) {
                slot.set(frame);
            }

            @Override
            public void end() {
                ends.incrementAndGet();
            }
        };
        Frame first = frames.watch(key(LiveFrames.MAX_STREAMS + 9), viewer);
        assertThat(first).isNotNull();
        for (int n = 2; n < 500; n++) {
            frames.frame(frame(LiveFrames.MAX_STREAMS + 9, n, StreamCodec.JPEG));
        }
        assertThat(slot.get().frameNumber()).as("latest wins, nothing queued").isEqualTo(499);
        frames.frame(frame(LiveFrames.MAX_STREAMS + 9, 500, StreamCodec.PNG));
        assertThat(frames.latest(key(LiveFrames.MAX_STREAMS + 9)).frameNumber()).as("other codecs are not kept")
                .isEqualTo(499);
        frames.ended(key(LiveFrames.MAX_STREAMS + 9));
        assertThat(ends.get()).isEqualTo(1);
        assertThat(frames.latest(key(LiveFrames.MAX_STREAMS + 9))).as("an ended stream's frame is let go").isNull();
    }

    @Test
    void anImageAboveTheLimitIsDescribedButAnsweredWith413() {
        LatestImage huge = new LatestImage(1, 9000, "big.png", DashboardFeed.MAX_IMAGE_BYTES + 1, 0, 0, "png",
                "127.0.0.1:5000", null);
        JpegImages.Result result = new JpegImages().jpeg(huge);
        assertThat(result.status()).isEqualTo(413);
        assertThat(result.message()).contains("port 9000").contains("big.png").contains("output directory");
    }

    private static ServerEvent event(ServerEvent.Type type, String name) {
        return new ServerEvent(type, ItemKind.FILE, name, 10, 100, PEER, 9000, Duration.ofMillis(5), 2000, null,
                null, type == ServerEvent.Type.FAILED ? "abandoned" : null);
    }

    private static Frame frame(int stream, long number, StreamCodec codec) {
        return new Frame(PEER, 9000, stream, "s" + stream, number, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            0}, codec, 0, 0, false);
    }

    private static String key(int stream) {
        return "127.0.0.1:5000#" + stream;
    }
}
