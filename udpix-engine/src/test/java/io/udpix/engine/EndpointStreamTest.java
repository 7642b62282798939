package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.StreamParams;
import io.udpix.wire.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A stream from the engine's own sender to its own receiver over a MiniNet (docs/PROTOCOL.md section 5.8). */
class EndpointStreamTest {
    static final long MS = 1_000_000L;

    @ParameterizedTest(name = "loss={0} seed={1}")
    @CsvSource({"0,31", "0.05,32"})
    void framesArriveInOrderByteForByteAndNoneAfterItsDeadline(double loss, long seed) {
        StreamPeers p = StreamPeers.connect(s -> { }, c -> { }, seed, 10 * MS);
        if (loss > 0) {
            SplittableRandom lossy = new SplittableRandom(seed);
            p.net.dropIf((from, bytes) -> lossy.nextDouble() < loss);
        }
        int id = p.client.openStream(p.clientConnectionId, StreamParams.jpeg("cam").withLatencyBudgetNs(200 * MS),
                p.nowNs());
        assertThat(id).as("seed=%d %s", seed, p.clientEvents).isPositive();
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> sent = new ArrayList<>();
        int frames = 30;
        for (int n = 0; n < frames; n++) {
            byte[] frame = new byte[2_000 + r.nextInt(12_000)];
            r.nextBytes(frame);
            sent.add(frame);
            p.client.sendFrame(p.clientConnectionId, id, frame, p.nowNs(), p.nowNs());
            p.runFor(33 * MS);
        }
        p.runFor(500 * MS); // every frame delivered or past its deadline
        // End it from the receiving side, so the figures do not depend on the sender's STREAM_CLOSE.
        p.server.close(p.serverConnectionId, ErrorCode.OK, "test over", p.nowNs());
        String context = "seed=" + seed + " loss=" + loss + " server " + p.server.stats() + " client "
                + p.client.allStreamStats(p.nowNs());
        assertThat(p.serverEvents(StreamOpened.class)).as(context).hasSize(1);
        List<FrameReceived> got = p.serverEvents(FrameReceived.class);
        long previous = -1;
        for (FrameReceived f : got) {
            assertThat(f.frameNumber()).as(context).isGreaterThan(previous);
            previous = f.frameNumber();
            assertThat(f.latencyNs()).as(context).isBetween(0L, 200 * MS);
        }
        // Frame numbers are given as frames start to go, in order: frame k is the k-th one that went.
        StreamEnded end = p.serverEvents(StreamEnded.class).get(0);
        assertThat(end.errorCode()).as(context).isEqualTo(ErrorCode.CLOSED);
        assertThat(end.stats().onTime()).as(context).isEqualTo(got.size());
        assertThat(end.stats().frames()).as(context + " " + end.stats()).isLessThanOrEqualTo(frames);
        for (FrameReceived f : got) {
            assertThat(sent).as("%s: frame %s is one that was sent, byte for byte", context, f.frameNumber())
                    .anySatisfy(s -> assertThat(s).isEqualTo(f.data()));
        }
        if (loss == 0) {
            assertThat(got).as(context + " " + end.stats()).hasSize(frames);
            for (FrameReceived f : got) {
                assertThat(f.data()).as("%s: frame %s", context, f.frameNumber()).isEqualTo(sent.get(
                        (int) f.frameNumber()));
            }
        } else {
            assertThat(got.size()).as(context + " " + end.stats()).isGreaterThan(frames / 2);
        }
        assertThat(p.server.reassemblyBytesInUse()).as(context).isZero();
    }
}
