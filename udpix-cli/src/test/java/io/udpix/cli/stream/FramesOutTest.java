package io.udpix.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.stream.Frame;
import io.udpix.engine.stream.StreamCodec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FramesOutTest {

    @TempDir
    Path dir;

    @Test
    void writesEachFrameByteExactUnderSenderStreamAndZeroPaddedFrameNumber() throws Exception {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 50123);
        try (FramesOut out = FramesOut.open(dir, new PrintStream(new ByteArrayOutputStream()))) {
            assertThat(out.offer(frame(peer, 3, 7, new byte[] {1, 2, 3}, StreamCodec.JPEG))).isTrue();
            assertThat(out.offer(frame(peer, 3, 8, new byte[] {4}, StreamCodec.PNG))).isTrue();
        }
        Path stream = dir.resolve("127.0.0.1_50123-3");
        assertThat(Files.readAllBytes(stream.resolve("00000007.jpg"))).containsExactly(1, 2, 3);
        assertThat(Files.readAllBytes(stream.resolve("00000008.png"))).containsExactly(4);
    }

    @Test
    void anIpv6SenderGetsADirectoryNameWithoutColons() {
        assertThat(FramesOut.streamDirName(new InetSocketAddress("::1", 9000), 2)).isEqualTo(
                "0_0_0_0_0_0_0_1_9000-2");
    }

    @Test
    void whenTheWriterIsBehindFramesBeyondTheQueueAreDroppedAndCountedNotHeld() throws Exception {
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 1);
        // A file where the stream's directory should be: every write fails, so the queue is what is measured.
        Files.createFile(dir.resolve("127.0.0.1_1-1"));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int offered = FramesOut.MAX_QUEUED_FRAMES * 4;
        long accepted = 0;
        byte[] big = new byte[1 << 20];
        String key = frame(peer, 1, 0, big, StreamCodec.JPEG).streamKey();
        FramesOut out = FramesOut.open(dir, new PrintStream(err, true));
        for (int i = 0; i < offered; i++) {
            accepted += out.offer(frame(peer, 1, i, big, StreamCodec.JPEG)) ? 1 : 0;
        }
        out.close();
        // 64 MiB of 1 MiB frames at most wait; the writer may have taken a few meanwhile.
        assertThat(accepted).isLessThan(offered / 2);
        assertThat(out.dropped(key)).as("refused at the queue or failed to write").isEqualTo(offered);
        assertThat(out.written(key)).isZero();
        assertThat(err.toString()).contains("cannot write frames to").containsOnlyOnce("cannot write frames");
    }

    private static Frame frame(InetSocketAddress peer, int streamId, long number, byte[] bytes, StreamCodec codec) {
        return new Frame(peer, 9000, streamId, "", number, bytes, codec, 0, 0, false);
    }
}
