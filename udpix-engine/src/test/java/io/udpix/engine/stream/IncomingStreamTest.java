package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.wire.FragmentFrame;
import io.udpix.wire.ParityFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receiver's delivery rule, clock offset and bounds for one stream (docs/PROTOCOL.md section 5.8.5). */
class IncomingStreamTest {
    static final long MS = 1_000_000L;
    static final long BUDGET_NS = 150 * MS;
    /** One-way delay of every packet in these tests; minRtt is twice it, so the clock offset is exact. */
    static final long ONE_WAY_NS = 10 * MS;
    static final long MIN_RTT_NS = 2 * ONE_WAY_NS;
    static final int F = 100;

    /** A memory with a capacity that records what is held. */
    static final class CountingMemory implements StreamMemory {
        final long capacityBytes;
        long usedBytes;
        long refusals;

        CountingMemory(long capacityBytes) {
            this.capacityBytes = capacityBytes;
        }

        @Override
        public boolean tryReserve(long bytes) {
            if (usedBytes + bytes > capacityBytes) {
                refusals++;
                return false;
            }
            usedBytes += bytes;
            return true;
        }

        @Override
        public void release(long bytes) {
            usedBytes -= bytes;
            assertThat(usedBytes).as("released more than reserved").isGreaterThanOrEqualTo(0);
        }
    }

    record Delivered(long frameNumber, byte[] data, long captureNs, long latencyNs, boolean fec) {}

    final List<Delivered> delivered = new ArrayList<>();
    final IncomingStream.Delivery sink = (s, n, data, capture, latency, fec) ->
            delivered.add(new Delivered(n, data, capture, latency, fec));
    final ByteBuffer buf = ByteBuffer.allocate(70_000);
    CountingMemory memory = new CountingMemory(Long.MAX_VALUE);

    IncomingStream stream(long maxFrameBytes) {
        return new IncomingStream(7, new StreamParams(StreamCodec.JPEG, BUDGET_NS, 0, 0, 0, "cam", FecMode.OFF),
                maxFrameBytes, memory);
    }

    static byte[] frameBytes(long frameNumber, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (frameNumber * 31 + i * 7);
        }
        return b;
    }

    /** Fragment {@code index} of frame {@code n} (250 bytes: fragments of 100, 100, 50) captured at {@code captureNs}. */
    FragmentFrame fragment(long n, long captureNs, int index) {
        return fragment(n, captureNs, index, frameBytes(n, 250));
    }

    FragmentFrame fragment(long n, long captureNs, int index, byte[] frame) {
        buf.clear();
        int data = FragmentFrame.writeHeader(buf, 0, 7, n, 0, captureNs / 1000, frame.length, F, index);
        int length = FragmentFrame.fragmentDataLength(frame.length, F, index);
        buf.put(data, frame, index * F, length);
        return new FragmentFrame().wrap(buf, 0);
    }

    /** Sends every listed fragment of frame {@code n}, each arriving one way after capture (plus {@code lateNs}). */
    void arrive(IncomingStream s, long n, long captureNs, long lateNs, int... indexes) {
        for (int i : indexes) {
            long now = captureNs + ONE_WAY_NS + lateNs;
            s.onFragment(fragment(n, captureNs, i), buf, now, MIN_RTT_NS);
            s.advance(now, sink);
        }
    }

    static long captureOf(long n) {
        return 1_000 * MS + n * 33 * MS; // 30 fps
    }

    static long deadlineOf(long n) {
        return captureOf(n) + BUDGET_NS;
    }

    @Test
    void deliversCompleteFramesInFrameNumberOrderEvenWhenALaterOneCompletesFirst() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0);          // frame 0: first fragment only
        arrive(s, 1, captureOf(1), 0, 0, 1, 2);    // frame 1 complete: must wait for frame 0
        assertThat(delivered).isEmpty();
        assertThat(s.wakeNs()).as("waits at most until frame 0's deadline").isEqualTo(deadlineOf(0));
        arrive(s, 0, captureOf(0), 30 * MS, 2, 1); // frame 0 completes, late on the path but before its deadline
        arrive(s, 2, captureOf(2), 0, 2, 0, 1);

        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(0L, 1L, 2L);
        for (Delivered d : delivered) {
            assertThat(d.data()).as("frame %s byte for byte", d.frameNumber()).isEqualTo(frameBytes(d.frameNumber(),
                    250));
        }
        StreamStats stats = s.stats(1);
        assertThat(stats.onTime()).isEqualTo(3);
        assertThat(stats.late() + stats.lost()).isZero();
        assertThat(stats.dataBytes()).isEqualTo(750);
        assertThat(memory.usedBytes).as("delivered frames give their memory back").isZero();
    }

    /** Like {@link #arrive}, but the rule runs with its gap hold (the connection's min RTT known). */
    void arriveHeld(IncomingStream s, long n, long captureNs, long lateNs, int... indexes) {
        for (int i : indexes) {
            long now = captureNs + ONE_WAY_NS + lateNs;
            s.onFragment(fragment(n, captureNs, i), buf, now, MIN_RTT_NS);
            s.advance(now, MIN_RTT_NS, sink);
        }
    }

    /**
     * RandomStreamScenariosTest seed 563064321091724005: one-packet frames on a path with 1.5% loss; a frame whose
     * only packet was lost was skipped the moment the next frame arrived, and its repair, on time, was wasted.
     */
    @Test
    void aCompleteFrameBehindOneOfWhichNothingCameWaitsTwoRttsForItsRepair() {
        IncomingStream s = stream(1 << 20);
        arriveHeld(s, 0, captureOf(0), 0, 0, 1, 2);
        // frame 1: nothing yet (its packets lost); frame 2 complete
        arriveHeld(s, 2, captureOf(2), 0, 0, 1, 2);
        long completeNs = captureOf(2) + ONE_WAY_NS;
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(0L);
        assertThat(s.wakeNs()).as("the hold ends two min RTTs after frame 2 was complete")
                .isEqualTo(completeNs + IncomingStream.GAP_HOLD_RTTS * MIN_RTT_NS);

        long repairNs = completeNs + MIN_RTT_NS + 5 * MS; // the repair arrives within the hold
        for (int i = 0; i < 3; i++) {
            s.onFragment(fragment(1, captureOf(1), i), buf, repairNs, MIN_RTT_NS);
            s.advance(repairNs, MIN_RTT_NS, sink);
        }
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(0L, 1L, 2L);
        assertThat(s.stats(1).lost()).isZero();
    }

    @Test
    void theHoldEndsAfterTwoRttsAndTheMissingFrameIsLost() {
        IncomingStream s = stream(1 << 20);
        arriveHeld(s, 0, captureOf(0), 0, 0, 1, 2);
        arriveHeld(s, 2, captureOf(2), 0, 0, 1, 2);
        long holdEndNs = captureOf(2) + ONE_WAY_NS + IncomingStream.GAP_HOLD_RTTS * MIN_RTT_NS;
        s.advance(holdEndNs - 1, MIN_RTT_NS, sink);
        assertThat(delivered).as("still held").hasSize(1);
        s.advance(holdEndNs, MIN_RTT_NS, sink);
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(0L, 2L);
        assertThat(delivered.get(1).latencyNs()).isEqualTo(ONE_WAY_NS + IncomingStream.GAP_HOLD_RTTS * MIN_RTT_NS);
        assertThat(s.stats(1).lost()).isEqualTo(1);
    }

    @Test
    void anAbandonEndsTheHoldAtOnce() {
        IncomingStream s = stream(1 << 20);
        arriveHeld(s, 0, captureOf(0), 0, 0, 1, 2);
        arriveHeld(s, 2, captureOf(2), 0, 0, 1, 2);
        s.onAbandon(1);
        long now = captureOf(2) + ONE_WAY_NS + 1;
        s.advance(now, MIN_RTT_NS, sink);
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(0L, 2L);
        assertThat(s.stats(1).lost()).isEqualTo(1);
    }

    @Test
    void theHoldNeverOutlastsTheHeldFramesDeadline() {
        IncomingStream s = stream(1 << 20);
        long longRttNs = 200 * MS; // two RTTs (400 ms) exceed the 150 ms budget
        long now = captureOf(2) + ONE_WAY_NS;
        for (int i = 0; i < 3; i++) {
            s.onFragment(fragment(2, captureOf(2), i), buf, now, MIN_RTT_NS);
            s.advance(now, longRttNs, sink);
        }
        assertThat(delivered).isEmpty();
        assertThat(s.wakeNs()).isLessThanOrEqualTo(deadlineOf(2));
        s.advance(s.wakeNs(), longRttNs, sink);
        assertThat(delivered).as("delivered at its deadline, not dropped: complete and on time")
                .extracting(Delivered::frameNumber).containsExactly(2L);
    }

    @Test
    void aFrameWithDataIncompleteAtItsDeadlineIsLateAndOneOfWhichNothingCameIsLost() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0, 2);       // frame 0: two of three fragments, never the third
        // frame 1: nothing at all
        arrive(s, 2, captureOf(2), 0, 0, 1, 2);    // frame 2 complete, waits behind frame 0
        assertThat(delivered).isEmpty();

        s.advance(deadlineOf(0) - 1, sink);
        assertThat(delivered).as("not before frame 0's deadline").isEmpty();
        s.advance(deadlineOf(0), sink);

        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(2L);
        StreamStats stats = s.stats(1);
        assertThat(stats.late()).as("frame 0: data came, but not all of it").isEqualTo(1);
        assertThat(stats.lost()).as("frame 1: nothing came").isEqualTo(1);
        assertThat(stats.onTime()).isEqualTo(1);
        assertThat(stats.frames()).isEqualTo(3);
        assertThat(memory.usedBytes).isZero();
    }

    @Test
    void aFrameCompleteOnlyAfterItsDeadlineIsNeverDelivered() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0, 1);
        long afterDeadline = deadlineOf(0) + MS;
        s.onFragment(fragment(0, captureOf(0), 2), buf, afterDeadline, MIN_RTT_NS);
        s.advance(afterDeadline, sink);
        assertThat(delivered).isEmpty();
        assertThat(s.stats(1).late()).isEqualTo(1);
    }

    @Test
    void neverDeliversAFrameOlderThanTheLastDelivered() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 1, captureOf(1), 0, 0, 1, 2);    // nothing of frame 0 yet: frame 1 goes at once
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(1L);
        assertThat(s.stats(1).lost()).as("frame 0 skipped entirely").isEqualTo(1);

        long now = captureOf(1) + ONE_WAY_NS;
        for (int i = 0; i < 3; i++) {
            assertThat(s.onFragment(fragment(0, captureOf(0), i), buf, now, MIN_RTT_NS))
                    .isEqualTo(IncomingStream.Outcome.STALE);
            s.advance(now, sink);
        }
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(1L);
        assertThat(s.framesInReassembly()).as("a stale frame holds no memory").isZero();
        assertThat(memory.usedBytes).isZero();
    }

    @Test
    void abandonLetsALaterCompleteFrameGoWithoutWaitingForTheDeadline() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0);
        arrive(s, 1, captureOf(1), 0, 0, 1, 2);
        assertThat(delivered).isEmpty();

        long now = captureOf(1) + 2 * ONE_WAY_NS; // well before frame 0's deadline
        s.onAbandon(0);
        s.advance(now, sink);

        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(1L);
        assertThat(s.stats(1).lost()).as("an abandoned frame is lost").isEqualTo(1);
        assertThat(s.onFragment(fragment(0, captureOf(0), 1), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.STALE);
    }

    @Test
    void abandonAheadOfEverythingCountsThoseFramesLostAtOnceAndRefusesTheirLateFragments() {
        IncomingStream s = stream(1 << 20);
        s.onAbandon(4);
        long now = captureOf(0) + ONE_WAY_NS;
        assertThat(s.onFragment(fragment(3, captureOf(3), 0), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.STALE);
        s.advance(now, sink);
        assertThat(s.stats(1).lost()).isEqualTo(5);
        arrive(s, 5, captureOf(5), 0, 0, 1, 2);
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(5L);
    }

    @Test
    void theClockOffsetMapsTheSendersCaptureTimeAndLatencyIsMeasuredFromIt() {
        IncomingStream s = stream(1 << 20);
        long senderAheadNs = 5_000 * MS; // the sender's clock reads 5 s more than ours
        long captureLocal = captureOf(0);
        long arrival = captureLocal + ONE_WAY_NS;
        for (int i = 0; i < 3; i++) {
            s.onFragment(fragment(0, captureLocal + senderAheadNs, i), buf, arrival, MIN_RTT_NS);
        }
        s.advance(arrival, sink);

        assertThat(s.clockOffsetNs(MIN_RTT_NS)).isEqualTo(-senderAheadNs);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).captureNs()).as("capture on our clock").isEqualTo(captureLocal);
        assertThat(delivered.get(0).latencyNs()).as("capture to delivery").isEqualTo(ONE_WAY_NS);
        StreamStats stats = s.stats(1);
        assertThat(stats.latencyMaxNs()).isEqualTo(ONE_WAY_NS);
        assertThat(stats.latencyP50Ns()).isEqualTo(ONE_WAY_NS);
    }

    @Test
    void theOffsetUsesTheLeastDelayedPacketAndHalfTheMinimumRtt() {
        IncomingStream s = stream(1 << 20);
        s.onClockSample(1_000, 1_000_000 + 40 * MS); // queued 30 ms more than the next one
        s.onClockSample(2_000, 2_000_000 + 10 * MS);
        assertThat(s.clockOffsetNs(MIN_RTT_NS)).isZero();
        assertThat(s.clockOffsetNs(Long.MAX_VALUE)).as("no RTT sample: no correction").isEqualTo(10 * MS);
        s.onClockSample(Long.MAX_VALUE, 0); // a hostile clock cannot overflow
        assertThat(s.clockOffsetNs(MIN_RTT_NS)).isLessThan(0);
    }

    @Test
    void aFrameLongerThanTheMaxFrameBytesIsRefusedWithoutHoldingMemory() {
        IncomingStream s = stream(200);
        long now = captureOf(0) + ONE_WAY_NS;
        assertThat(s.onFragment(fragment(0, captureOf(0), 0), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.TOO_LARGE);
        assertThat(memory.usedBytes).isZero();
        byte[] small = frameBytes(1, 150);
        s.onFragment(fragment(1, captureOf(1), 0, small), buf, now, MIN_RTT_NS);
        s.onFragment(fragment(1, captureOf(1), 1, small), buf, now, MIN_RTT_NS);
        s.advance(now, sink);
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(1L);
        assertThat(s.stats(1).lost()).as("the oversized frame ends lost").isEqualTo(1);
    }

    @Test
    void aFrameTheMemoryCannotHoldIsRefusedAndNothingIsLeftChargedAtTheEnd() {
        memory = new CountingMemory(250 + 3 + IncomingStream.ASSEMBLY_OVERHEAD_BYTES); // exactly one such frame
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0);
        long now = captureOf(1) + ONE_WAY_NS;
        assertThat(s.onFragment(fragment(1, captureOf(1), 0), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.NO_MEMORY);
        assertThat(memory.usedBytes).isLessThanOrEqualTo(memory.capacityBytes);
        assertThat(memory.refusals).isEqualTo(1);
        arrive(s, 0, captureOf(0), 0, 1, 2);
        assertThat(delivered).extracting(Delivered::frameNumber).containsExactly(0L);
        assertThat(memory.usedBytes).isZero();
        arrive(s, 2, captureOf(2), 0, 0);
        s.end(-1);
        assertThat(memory.usedBytes).as("end gives everything back").isZero();
    }

    @Test
    void atMostSixtyFourFramesAreInReassemblyAndTheOldestGivesWay() {
        IncomingStream s = stream(1 << 20);
        for (int n = 0; n < IncomingStream.MAX_ASSEMBLIES + 10; n++) {
            arrive(s, n, captureOf(0), 0, 0); // one fragment each, all captured at once: nothing expires
            assertThat(s.framesInReassembly()).isLessThanOrEqualTo(IncomingStream.MAX_ASSEMBLIES);
        }
        StreamStats stats = s.stats(1);
        assertThat(s.framesInReassembly()).isEqualTo(IncomingStream.MAX_ASSEMBLIES);
        assertThat(stats.late()).as("the ten oldest, dropped with data").isEqualTo(10);
        assertThat(stats.lost()).isZero();
        long now = captureOf(0) + ONE_WAY_NS;
        assertThat(s.onFragment(fragment(3, captureOf(0), 1), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.STALE);
    }

    @Test
    void sixtyFourCompleteFramesBehindGapsAllGoInOneStep() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0); // frame 0 partial holds everything back
        for (int k = 1; k <= IncomingStream.MAX_ASSEMBLIES - 1; k++) {
            arrive(s, 2L * k, captureOf(0), 0, 0, 1, 2); // even frames complete, odd ones never come
        }
        assertThat(delivered).isEmpty();
        s.onAbandon(0);
        s.advance(captureOf(0) + ONE_WAY_NS, sink);
        assertThat(delivered).as("every complete frame at once, not one per timer").hasSize(
                IncomingStream.MAX_ASSEMBLIES - 1);
        assertThat(s.stats(1).lost()).isEqualTo(1 + IncomingStream.MAX_ASSEMBLIES - 1);
    }

    @Test
    void theSendersCloseEndsTheStreamOnceEveryFrameItStartedIsAccounted() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0, 1, 2);
        arrive(s, 1, captureOf(1), 0, 0);
        long now = captureOf(1) + ONE_WAY_NS;
        s.onSenderClose(3, now);
        assertThat(s.advance(now, sink)).isFalse();
        assertThat(s.wakeNs()).isEqualTo(deadlineOf(1));
        assertThat(s.advance(deadlineOf(1), sink)).as("frame 1 late; frame 2 may still come").isFalse();
        assertThat(s.wakeNs()).as("one budget after the close at the latest").isEqualTo(now + BUDGET_NS);
        assertThat(s.advance(now + BUDGET_NS, sink)).as("frame 2 never came: done").isTrue();
        assertThat(s.ended()).isTrue();
        StreamStats stats = s.stats(1);
        assertThat(stats.onTime()).isEqualTo(1);
        assertThat(stats.late()).isEqualTo(1);
        assertThat(stats.lost()).isEqualTo(1);
        assertThat(stats.frames()).isEqualTo(3);
        assertThat(memory.usedBytes).isZero();
    }

    @Test
    void aColumnParityRebuildsALostFragmentAndTheFrameCountsAsFecRecovered() {
        IncomingStream s = stream(1 << 20);
        byte[] frame = frameBytes(0, 350); // fragments 0..3 (100, 100, 100, 50); stride 2: columns {0,2}, {1,3}
        long capture = captureOf(0);
        long now = capture + ONE_WAY_NS;
        for (int i : new int[] {0, 2, 3}) {
            s.onFragment(fragment(0, capture, i, frame), buf, now, MIN_RTT_NS);
        }
        byte[] parity = new byte[F];
        for (int i = 1; i < 4; i += 2) {
            int length = Math.min(F, frame.length - i * F);
            for (int k = 0; k < length; k++) {
                parity[k] ^= frame[i * F + k];
            }
        }
        buf.clear();
        int data = ParityFrame.writeHeader(buf, 0, 7, 0, 0, capture / 1000, frame.length, F, 2, 1);
        buf.put(data, parity);
        assertThat(s.onParity(new ParityFrame().wrap(buf, 0), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.ACCEPTED);
        s.advance(now, sink);

        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).data()).isEqualTo(frame);
        assertThat(delivered.get(0).fec()).isTrue();
        assertThat(s.stats(1).fecRecovered()).isEqualTo(1);
        assertThat(s.stats(1).parityBytes()).isEqualTo(F);
        assertThat(memory.usedBytes).as("parity memory is given back too").isZero();
    }

    @Test
    void aFragmentWhoseCaptureTimeDisagreesWithItsFrameIsRejected() {
        IncomingStream s = stream(1 << 20);
        arrive(s, 0, captureOf(0), 0, 0);
        long now = captureOf(0) + ONE_WAY_NS;
        assertThat(s.onFragment(fragment(0, captureOf(0) + MS, 1), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.REJECTED);
        assertThat(s.onFragment(fragment(0, captureOf(0), 0), buf, now, MIN_RTT_NS))
                .isEqualTo(IncomingStream.Outcome.DUPLICATE);
    }
}
