package io.udpix.bench.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameAnalysisTest {
    private static final long BUDGET_US = 150_000;
    private static final long PERIOD_US = 33_333;

    /** Frames 0..count-1, the first {@code warmUp} of them warm-up, captured one period apart, 1,000 bytes each. */
    private static List<SendLog.Entry> sent(int count, int warmUp, int images) {
        List<SendLog.Entry> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            long capture = 1_000_000 + n * PERIOD_US;
            out.add(new SendLog.Entry(n, n % images, capture, capture + 10, 1000, n < warmUp));
        }
        return out;
    }

    private static ReceiveLog.Record intact(long n, long latencyUs) {
        long capture = 1_000_000 + n * PERIOD_US;
        return new ReceiveLog.Record(capture + latencyUs, ReceiveLog.Kind.INTACT, n, -1, capture, 1000);
    }

    @Test
    void countsOnTimeLateAndLostFramesAndLeavesWarmUpOut() {
        List<ReceiveLog.Record> got = new ArrayList<>();
        got.add(intact(0, 500_000)); // warm-up: late, but not counted
        got.add(intact(2, 40_000));
        got.add(intact(3, 150_000)); // exactly the budget: on time
        got.add(intact(4, 150_001)); // late
        got.add(intact(5, 120_000)); // arrives after frame 4, so it is shown too
        // frame 6 never arrives; frames 2..6 are measured
        FrameAnalysis.Result r = FrameAnalysis.analyze(sent(7, 2, 100), got, BUDGET_US);
        assertThat(r.frames()).isEqualTo(5);
        assertThat(r.onTime()).isEqualTo(3);
        assertThat(r.complete()).isEqualTo(4);
        assertThat(r.late()).isEqualTo(1);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.payloadBytes()).isEqualTo(7000); // warm-up bytes are on the wire too
        assertThat(r.p50Ms()).isEqualTo(120.0); // nearest rank of 40, 120, 150, 150.001
        assertThat(r.maxMs()).isEqualTo(150.001);
    }

    @Test
    void aFrameOlderThanOneAlreadyShownIsNotShownOnTime() {
        List<ReceiveLog.Record> got = new ArrayList<>();
        got.add(intact(1, 20_000));
        got.add(intact(0, 100_000)); // arrives after frame 1 was shown: a display never goes back
        FrameAnalysis.Result r = FrameAnalysis.analyze(sent(2, 0, 100), got, BUDGET_US);
        assertThat(r.complete()).isEqualTo(2);
        assertThat(r.onTime()).isEqualTo(1);
    }

    @Test
    void damagedCopiesDoNotCountAndADuplicateCountsOnce() {
        long capture = 1_000_000;
        List<ReceiveLog.Record> got = new ArrayList<>();
        got.add(new ReceiveLog.Record(capture + 10_000, ReceiveLog.Kind.DAMAGED, 0, -1, capture, 1000));
        got.add(new ReceiveLog.Record(capture + 20_000, ReceiveLog.Kind.UNKNOWN, -1, -1, -1, 300));
        got.add(intact(0, 30_000));
        got.add(intact(0, 40_000));
        FrameAnalysis.Result r = FrameAnalysis.analyze(sent(1, 0, 100), got, BUDGET_US);
        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.onTime()).isEqualTo(1);
        assertThat(r.damagedPieces()).isEqualTo(1);
        assertThat(r.unknownPieces()).isEqualTo(1);
        assertThat(r.p50Ms()).isEqualTo(30.0);
    }

    @Test
    void aTagWhoseCaptureTimeDiffersFromTheSentOneIsDamaged() {
        List<ReceiveLog.Record> got = List.of(new ReceiveLog.Record(1_010_000, ReceiveLog.Kind.INTACT, 0, -1, 999, 1000));
        FrameAnalysis.Result r = FrameAnalysis.analyze(sent(1, 0, 100), got, BUDGET_US);
        assertThat(r.complete()).isZero();
        assertThat(r.damagedPieces()).isEqualTo(1);
    }

    @Test
    void anUntaggedFrameIsMatchedToTheLatestSendOfItsImageBeforeItArrived() {
        // 4 images looping: frame 5 shows image 1, as frame 1 did; it arrives 50 ms after its capture.
        long capture5 = 1_000_000 + 5 * PERIOD_US;
        List<ReceiveLog.Record> got = List.of(
                new ReceiveLog.Record(capture5 + 50_000, ReceiveLog.Kind.INTACT_SCAN, -1, 1, -1, 1000));
        FrameAnalysis.Result r = FrameAnalysis.analyze(sent(8, 0, 4), got, BUDGET_US);
        assertThat(r.complete()).isEqualTo(1);
        assertThat(r.onTime()).isEqualTo(1);
        assertThat(r.p50Ms()).isEqualTo(50.0);
    }

    @Test
    void framesNeverHandedOverAreCountedAndLost() {
        List<SendLog.Entry> s = new ArrayList<>(sent(2, 0, 10));
        SendLog.Entry e = s.get(1);
        s.set(1, new SendLog.Entry(e.sequence(), e.image(), e.captureUs(), 0, e.bytes(), false));
        FrameAnalysis.Result r = FrameAnalysis.analyze(s, List.of(intact(0, 1000)), BUDGET_US);
        assertThat(r.notHanded()).isEqualTo(1);
        assertThat(r.lost()).isEqualTo(1);
        assertThat(r.payloadBytes()).isEqualTo(1000);
    }

    @Test
    void percentilesAreNearestRank() {
        assertThat(FrameAnalysis.percentileMsOf(0.99, 1000, 2000, 3000)).isEqualTo(3.0);
        assertThat(FrameAnalysis.percentileMsOf(0.50, 1000, 2000, 3000, 4000)).isEqualTo(2.0);
        assertThat(FrameAnalysis.percentileMsOf(0.50)).isNaN();
    }
}
