package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.IncomingStreams;
import io.udpix.engine.stream.StreamStats;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.StreamCloseFrame;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The receiving side of frame streams through a whole endpoint (docs/PROTOCOL.md section 5.8.5), the test playing
 * the client's stream sender with hand-made STREAM_OPEN/FRAGMENT/STREAM_CLOSE packets.
 */
class EndpointStreamReceiveTest {
    static final long MS = 1_000_000L;
    static final long ONE_WAY_NS = 5 * MS;
    static final int F = 1000;

    static byte[] frame(long seed, int length) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static byte[] senderClose(long streamId, long frames) {
        ByteBuffer b = ByteBuffer.allocate(64);
        int end = StreamCloseFrame.encode(b, 0, streamId, frames, ErrorCode.OK, "");
        return Arrays.copyOf(b.array(), end);
    }

    @Test
    void deliversFramesInOrderByteForByteAndDropsAnIncompleteOneAtItsDeadlineByTimer() {
        StreamPeers p = StreamPeers.connect(s -> { }, c -> { }, 21, ONE_WAY_NS);
        p.silenceClient();
        long senderAheadUs = 7_000_000; // the sender's clock reads 7 s more than the server's
        long t0 = p.nowNs();
        long[] captureUs = new long[3];
        byte[][] frames = new byte[3][];
        for (int n = 0; n < 3; n++) {
            captureUs[n] = (t0 + n * 33 * MS) / 1000 + senderAheadUs;
            frames[n] = frame(n, 2500); // three fragments: 1000, 1000, 500
        }
        p.injectFromClient(StreamPeers.concat(StreamPeers.streamOpen(1, 150, t0 / 1000 + senderAheadUs),
                StreamPeers.fragment(1, 0, captureUs[0], frames[0], F, 0)));
        p.injectFromClient(StreamPeers.fragment(1, 0, captureUs[0], frames[0], F, 2));
        p.injectFromClient(StreamPeers.fragment(1, 0, captureUs[0], frames[0], F, 1));
        p.injectFromClient(StreamPeers.fragment(1, 1, captureUs[1], frames[1], F, 0)); // frame 1: one of three
        for (int i = 0; i < 3; i++) {
            p.injectFromClient(StreamPeers.fragment(1, 2, captureUs[2], frames[2], F, i));
        }
        p.runFor(20 * MS);

        assertThat(p.serverEvents(StreamOpened.class)).singleElement().satisfies(e -> {
            assertThat(e.streamId()).isEqualTo(1);
            assertThat(e.incoming()).isTrue();
            assertThat(e.params().latencyBudgetNs()).isEqualTo(150 * MS);
        });
        assertThat(p.serverEvents(FrameReceived.class)).as("frame 2 waits for frame 1's deadline")
                .extracting(FrameReceived::frameNumber).containsExactly(0L);
        List<StreamStats> live = p.server.allStreamStats(p.nowNs());
        assertThat(live).singleElement().satisfies(s -> {
            assertThat(s.incoming()).isTrue();
            assertThat(s.onTime()).isEqualTo(1);
            assertThat(s.queuedFrames()).as("frames in reassembly").isEqualTo(2);
        });

        p.runFor(300 * MS); // past frame 1's deadline: a timer, no packet arrives meanwhile
        List<FrameReceived> got = p.serverEvents(FrameReceived.class);
        assertThat(got).extracting(FrameReceived::frameNumber).containsExactly(0L, 2L);
        assertThat(got.get(0).data()).isEqualTo(frames[0]);
        assertThat(got.get(1).data()).isEqualTo(frames[2]);
        for (FrameReceived f : got) {
            assertThat(f.latencyNs()).as("frame %s: never after its deadline", f.frameNumber())
                    .isBetween(0L, 150 * MS);
        }
        assertThat(got.get(0).latencyNs()).as("capture to delivery: about one way").isLessThanOrEqualTo(2 * ONE_WAY_NS);

        p.injectFromClient(senderClose(1, 3));
        p.runFor(20 * MS);
        assertThat(p.serverEvents(StreamEnded.class)).singleElement().satisfies(e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.OK);
            assertThat(e.incoming()).isTrue();
            assertThat(e.stats().onTime()).isEqualTo(2);
            assertThat(e.stats().late()).isEqualTo(1);
            assertThat(e.stats().lost()).isZero();
            assertThat(e.stats().dataBytes()).isEqualTo(5000);
        });
        assertThat(p.server.allStreamStats(p.nowNs())).isEmpty();
        assertThat(p.server.reassemblyBytesInUse()).as("the stream's memory is back").isZero();
    }

    @Test
    void anApplicationThatDoesNotPollGetsTheNewestFramesNotABacklog() {
        StreamPeers p = StreamPeers.connect(s -> { }, c -> { }, 25, ONE_WAY_NS);
        p.silenceClient();
        int frames = Endpoint.MAX_QUEUED_FRAMES + 8;
        p.injectFromClient(StreamPeers.streamOpen(1, 1000, 0));
        for (int n = 0; n < frames; n++) {
            p.injectFromClient(StreamPeers.fragment(1, n, 0, frame(n, 500), F, 0));
        }
        long until = p.nowNs() + 50 * MS;
        p.net.runUntil(() -> p.net.nowNs() >= until, until); // the application does not poll meanwhile

        assertThat(p.server.droppedFrameEvents()).isEqualTo(8);
        List<FrameReceived> got = p.serverEvents(FrameReceived.class);
        assertThat(got).extracting(FrameReceived::frameNumber).as("the newest, in order")
                .containsExactlyElementsOf(java.util.stream.LongStream.range(8, frames).boxed().toList());
        assertThat(got.get(got.size() - 1).data()).isEqualTo(frame(frames - 1, 500));
        assertThat(p.serverEvents(StreamOpened.class)).as("essential events are never dropped").hasSize(1);
    }

    @Test
    void fragmentsOfAStreamNeverOpenedAreCountedAndTheConnectionCarriesOn() {
        StreamPeers p = StreamPeers.connect(s -> { }, c -> { }, 22, ONE_WAY_NS);
        p.silenceClient();
        p.injectFromClient(StreamPeers.fragment(9, 0, 0, frame(1, 10), F, 0));
        p.runFor(20 * MS);
        assertThat(p.server.stats().drops(DropReason.UNKNOWN_STREAM)).isEqualTo(1);
        assertThat(p.serverEvents(FrameReceived.class)).isEmpty();
        assertThat(p.server.connection(p.serverConnectionId).isClosed()).isFalse();
    }

    @Test
    void aSecondStreamBeyondTheAddresssReassemblyShareIsRefusedAndTheFirstKeepsItsMemory() {
        StreamPeers p = StreamPeers.connect(s -> s.maxReassemblyBytesPerAddress(40 * 1024), c -> { }, 23,
                ONE_WAY_NS);
        p.silenceClient();
        p.injectFromClient(StreamPeers.streamOpen(1, 150, 0));
        p.injectFromClient(StreamPeers.streamOpen(2, 150, 0));
        p.runFor(20 * MS);
        assertThat(p.serverEvents(StreamOpened.class)).extracting(StreamOpened::streamId).containsExactly(1);
        assertThat(p.server.stats().drops(DropReason.PEER_REASSEMBLY_SHARE)).isEqualTo(1);
        assertThat(p.server.reassemblyBytesInUse()).isEqualTo(IncomingStreams.STREAM_BASE_BYTES);

        p.server.close(p.serverConnectionId, ErrorCode.OK, "done", p.nowNs());
        assertThat(p.serverEvents(StreamEnded.class)).singleElement().satisfies(e -> {
            assertThat(e.streamId()).isEqualTo(1);
            assertThat(e.errorCode()).isEqualTo(ErrorCode.CLOSED);
        });
        assertThat(p.server.reassemblyBytesInUse()).isZero();
    }

    @Test
    void theApplicationStoppingAStreamEndsItAndLaterFragmentsAreUnknown() {
        StreamPeers p = StreamPeers.connect(s -> { }, c -> { }, 24, ONE_WAY_NS);
        p.silenceClient();
        p.injectFromClient(StreamPeers.streamOpen(1, 150, 0));
        p.runFor(20 * MS);
        p.server.closeStream(p.serverConnectionId, 1, true, p.nowNs());
        assertThat(p.serverEvents(StreamEnded.class)).singleElement()
                .satisfies(e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.OK));
        p.injectFromClient(StreamPeers.fragment(1, 0, 0, frame(2, 10), F, 0));
        p.runFor(20 * MS);
        assertThat(p.server.stats().drops(DropReason.UNKNOWN_STREAM)).isEqualTo(1);
        assertThat(p.serverEvents(FrameReceived.class)).isEmpty();
    }
}
