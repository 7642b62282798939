package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sender's stream scheduling and partial reliability, driven directly with virtual time. */
class OutgoingStreamsTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4000);
    /** Room for a stream frame in a packet: fragments of ROOM - 30 bytes once STREAM_OPEN is acknowledged. */
    private static final int ROOM = 1030;
    private static final int F = ROOM - OutgoingStreams.PARITY_HEADER_BYTES;
    /** Fast enough that the pacing rule never bites unless a test wants it to. */
    private static final long FAST = 1_000_000_000L;

    private final List<EndpointEvent> events = new ArrayList<>();

    private OutgoingStreams streams(StridePlanner planner) {
        OutgoingStreams s = new OutgoingStreams(7, PEER, events::add, planner);
        s.onPeerLimits(true, 16, 16 << 20, 0, 10_000 * MS, "");
        return s;
    }

    private static StreamParams params(long budgetNs) {
        return StreamParams.jpeg("cam").withLatencyBudgetNs(budgetNs).withFec(FecMode.OFF);
    }

    /** Sends what pick() chose and returns "stream:frame:kind:index". */
    private static String sendNext(OutgoingStreams s, long nowNs, long srttNs) {
        if (!s.pick(nowNs, srttNs, FAST, ROOM, 0)) {
            return "none";
        }
        String what = s.pickedStream().streamId() + ":" + s.pickedFrame().frameNumber() + ":" + s.pickedKind() + ":"
                + s.pickedIndex();
        s.onPickedSent();
        return what;
    }

    private static void ackOpen(OutgoingStreams s, int id) {
        s.onOpenAcked(id);
    }

    @Test
    void sendsTheFrameWithTheEarliestDeadlineFirstAcrossTwoStreams() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int slow = s.open(params(200 * MS), false, 0);
        int fast = s.open(params(50 * MS), false, 0);
        ackOpen(s, slow);
        ackOpen(s, fast);
        // Stream "slow" has a 2-fragment frame due at 200 ms, stream "fast" a 2-fragment frame due at 60 ms.
        s.submit(slow, new byte[2 * F], 0);
        s.submit(fast, new byte[2 * F], 10 * MS);
        assertThat(sendNext(s, 11 * MS, 0)).isEqualTo(fast + ":0:NEW:0");
        assertThat(sendNext(s, 11 * MS, 0)).isEqualTo(fast + ":0:NEW:1");
        assertThat(sendNext(s, 11 * MS, 0)).isEqualTo(slow + ":0:NEW:0");
        // A loss of the fast stream's fragment 1 is repaired before the slow stream's next new fragment: EDF.
        s.onFragmentLost(fast, 0, 1, 12 * MS, 0);
        assertThat(sendNext(s, 12 * MS, 0)).isEqualTo(fast + ":0:RETRANSMISSION:1");
        assertThat(sendNext(s, 12 * MS, 0)).isEqualTo(slow + ":0:NEW:1");
        // A newer frame of the fast stream (due at 80 ms) still goes before the slow frame's repair (due at 200 ms).
        s.onFragmentLost(slow, 0, 0, 13 * MS, 0);
        s.submit(fast, new byte[10], 30 * MS);
        assertThat(sendNext(s, 31 * MS, 0)).isEqualTo(fast + ":1:NEW:0");
        assertThat(sendNext(s, 31 * MS, 0)).isEqualTo(slow + ":0:RETRANSMISSION:0");
        assertThat(sendNext(s, 31 * MS, 0)).isEqualTo("none");
    }

    @Test
    void aFrameDroppedAtTheSourceOnTheRttEstimateAsksOnceForAFreshRttSample() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(150 * MS), false, 0);
        ackOpen(s, id);
        // A replaced frame is a source drop, but not on the RTT's word: no fresh sample is asked for.
        s.submit(id, new byte[10], 0);
        s.submit(id, new byte[10], 1 * MS);
        assertThat(s.takeRttStarved()).isFalse();
        // A stale estimate of 400 ms says the waiting frame (due at 151 ms) cannot arrive: dropped, and the
        // connection is asked once for a fresh sample (the stream would otherwise send nothing and learn nothing).
        assertThat(sendNext(s, 2 * MS, 400 * MS)).isEqualTo("none");
        List<StreamStats> stats = new ArrayList<>();
        s.addStats(stats, 1234);
        assertThat(stats).singleElement().satisfies(st -> assertThat(st.droppedAtSource()).isEqualTo(2));
        assertThat(s.takeRttStarved()).isTrue();
        assertThat(s.takeRttStarved()).isFalse();
    }

    @Test
    void aNewerFrameReplacesTheOneNotStartedAndIsCountedAsDroppedAtTheSource() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(150 * MS), false, 0);
        ackOpen(s, id);
        byte[] first = new byte[3 * F];
        byte[] second = new byte[3 * F];
        byte[] third = new byte[F];
        assertThat(s.submit(id, first, 0)).isEqualTo(FrameAdmission.QUEUED);
        assertThat(sendNext(s, 0, 0)).isEqualTo(id + ":0:NEW:0"); // frame 0 (first) started
        assertThat(s.submit(id, second, 1 * MS)).isEqualTo(FrameAdmission.QUEUED);
        assertThat(s.submit(id, third, 2 * MS)).isEqualTo(FrameAdmission.REPLACED_OLDER);
        // The started frame is finished first (earlier deadline); then the latest waiting frame gets number 1:
        // the dropped one leaves no gap.
        assertThat(sendNext(s, 3 * MS, 0)).isEqualTo(id + ":0:NEW:1");
        assertThat(sendNext(s, 3 * MS, 0)).isEqualTo(id + ":0:NEW:2");
        assertThat(sendNext(s, 3 * MS, 0)).isEqualTo(id + ":1:NEW:0");
        assertThat(s.pickedFrame().data()).isSameAs(third);
        List<StreamStats> stats = new ArrayList<>();
        s.addStats(stats, 1234);
        assertThat(stats).singleElement().satisfies(st -> {
            assertThat(st.droppedAtSource()).isEqualTo(1);
            assertThat(st.frames()).isEqualTo(2);
            assertThat(st.dataBytes()).isEqualTo(3L * F + F);
            assertThat(st.availableRateBytesPerSecond()).isEqualTo(1234);
            assertThat(st.incoming()).isFalse();
        });
    }

    @Test
    void aLostFragmentIsSentAgainWhileItCanMakeTheDeadlineAndAbandonedWhenItCannot() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(100 * MS), false, 0);
        ackOpen(s, id);
        long srtt = 40 * MS;
        s.submit(id, new byte[3 * F], 0); // deadline 100 ms
        for (int i = 0; i < 3; i++) {
            sendNext(s, 1 * MS, srtt);
        }
        // At 50 ms a repair still arrives by 70 ms < 100 ms: queued again.
        s.onFragmentLost(id, 0, 1, 50 * MS, srtt);
        assertThat(sendNext(s, 50 * MS, srtt)).isEqualTo(id + ":0:RETRANSMISSION:1");
        s.onFragmentAcked(id, 0, 0);
        s.onFragmentAcked(id, 0, 1);
        // At 85 ms a repair would arrive at 105 ms: too late. The frame is abandoned and ABANDON(0) owed.
        s.onFragmentLost(id, 0, 2, 85 * MS, srtt);
        assertThat(sendNext(s, 85 * MS, srtt)).isEqualTo("none");
        OutgoingStream st = s.get(id);
        assertThat(st.abandonPendingNow()).isTrue();
        assertThat(st.abandonedUpTo()).isEqualTo(0);
        assertThat(st.frameCount()).as("an abandoned frame's state is freed at once").isZero();
        assertThat(s.hasControl()).isTrue();
        s.onAbandonSent(st);
        assertThat(st.abandonPendingNow()).isFalse();
        // The packet with the ABANDON is lost: it goes again until acknowledged.
        s.onAbandonLost(id, 0);
        assertThat(st.abandonPendingNow()).isTrue();
        s.onAbandonSent(st);
        s.onAbandonAcked(id, 0);
        s.onAbandonLost(id, 0);
        assertThat(st.abandonPendingNow()).as("acknowledged: never again").isFalse();
        List<StreamStats> stats = new ArrayList<>();
        s.addStats(stats, 0);
        assertThat(stats.get(0).abandoned()).isEqualTo(1);
        assertThat(stats.get(0).retransmittedFragments()).isEqualTo(1);
    }

    @Test
    void frameStateIsFreedByItsDeadlinePlusOneRttUnderAStreamFasterThanTheWindow() {
        // 60 fps of 100-fragment frames while the window lets through 10 packets per frame interval, nothing ever
        // acknowledged or declared lost: memory stays bounded, every frame is gone by deadline + srtt.
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(150 * MS), false, 0);
        ackOpen(s, id);
        long srtt = 30 * MS;
        long frameNs = 1_000_000_000L / 60;
        OutgoingStream st = s.get(id);
        int maxInProgress = 0;
        for (int n = 0; n < 600; n++) {
            long nowNs = n * frameNs;
            s.submit(id, new byte[100 * F], nowNs);
            for (int p = 0; p < 10; p++) {
                sendNext(s, nowNs + p * MS, srtt);
            }
            s.sweep(nowNs + 10 * MS, srtt, FAST);
            maxInProgress = Math.max(maxInProgress, st.frameCount());
            for (int i = 0; i < st.frameCount(); i++) {
                assertThat(st.frame(i).deadlineNs() + srtt).isGreaterThan(nowNs + 10 * MS);
            }
            long timer = s.nextTimerNs(srtt);
            assertThat(timer).as("a timer is set while frames are kept").isGreaterThan(nowNs + 10 * MS);
        }
        assertThat(maxInProgress).isLessThanOrEqualTo(OutgoingStream.MAX_FRAMES_IN_PROGRESS);
        long end = 600 * frameNs + 1_000 * MS;
        s.sweep(end, srtt, FAST);
        assertThat(st.frameCount()).isZero();
        assertThat(s.nextTimerNs(srtt)).isEqualTo(Long.MAX_VALUE);
        for (int i = 0; i < OutgoingStream.MAX_FRAMES_IN_PROGRESS; i++) {
            assertThat(st.frame(i).data()).as("freed slots hold no frame bytes").isNull();
        }
        List<StreamStats> stats = new ArrayList<>();
        s.addStats(stats, 0);
        StreamStats x = stats.get(0);
        assertThat(x.frames() + x.droppedAtSource()).isEqualTo(600);
        assertThat(x.abandoned()).as("frames that could not go out in time were abandoned").isPositive();
    }

    @Test
    void aStartedFrameWhoseRestCannotGoOutByItsDeadlineAtThePacingRateIsAbandoned() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(100 * MS), false, 0);
        ackOpen(s, id);
        s.submit(id, new byte[100 * F], 0);
        long rate = 500L * F; // 500 fragments a second, with the 2x headroom 1,000: 99 more take 99 ms
        assertThat(s.pick(0, 0, rate, ROOM, 0)).isTrue();
        s.onPickedSent();
        assertThat(s.pick(10 * MS, 0, rate, ROOM, 0)).as("99 ms of sending left at 10 ms: too late").isFalse();
        assertThat(s.get(id).abandonedUpTo()).isEqualTo(0);
        // A frame that fits the rate goes through.
        s.submit(id, new byte[10 * F], 20 * MS);
        assertThat(s.pick(20 * MS, 0, rate, ROOM, 0)).isTrue();
        assertThat(s.pickedFrame().frameNumber()).isEqualTo(1);
    }

    @Test
    void streamOpenTravelsUntilAcknowledgedAndFragmentsLeaveItRoom() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(150 * MS), false, 0);
        OutgoingStream st = s.get(id);
        assertThat(st.openUnacknowledged()).isTrue();
        s.submit(id, new byte[5000], 0);
        assertThat(s.pick(0, 0, FAST, ROOM, 0)).isTrue();
        int room = F - OutgoingStreams.openFrameBytes(st);
        int count = (5000 + room - 1) / room;
        assertThat(s.pickedFrame().fragmentCount()).as("as many fragments as the room needs").isEqualTo(count);
        assertThat(s.pickedFrame().fragmentBytes()).as("equal fragments within the room")
                .isEqualTo((5000 + count - 1) / count).isLessThanOrEqualTo(room);
        s.onOpenAcked(id);
        assertThat(events).singleElement().isInstanceOf(StreamOpened.class);
        s.onOpenAcked(id);
        assertThat(events).hasSize(1);
    }

    /** RandomStreamScenariosTest seed 5000019955: a 2.7 KB frame on a 9000-byte path sent 8.9 KB of parity. */
    @Test
    void aFrameSmallerThanTheRoomIsOneFragmentOfItsOwnLengthSoItsParityIsNoLarger() {
        OutgoingStreams s = streams((mode, loss, srtt, budget, count, serialisationNs) -> 1);
        int id = s.open(params(150 * MS), false, 0);
        ackOpen(s, id);
        s.submit(id, new byte[F / 3], 0);
        assertThat(s.pick(0, 0, FAST, ROOM, 0)).isTrue();
        assertThat(s.pickedFrame().fragmentCount()).isEqualTo(1);
        assertThat(s.pickedFrame().fragmentBytes()).isEqualTo(F / 3);
    }

    @Test
    void openingAStreamToAPeerWithoutStreamsEndsItAtOnceWithUnsupportedFeature() {
        OutgoingStreams s = new OutgoingStreams(7, PEER, events::add, StridePlanner.NONE);
        int early = s.open(params(150 * MS), false, 0);
        assertThat(early).as("before the handshake says, a stream waits").isPositive();
        s.onPeerLimits(false, 0, 0, 0, 0, "the server at " + PEER + " does not take frame streams: it runs an older udpix; upgrade it");
        assertThat(s.open(params(150 * MS), false, 0)).isEqualTo(-1);
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e).isInstanceOf(StreamEnded.class);
            StreamEnded ended = (StreamEnded) e;
            assertThat(ended.errorCode()).isEqualTo(23);
            assertThat(ended.reason()).contains("does not take frame streams").contains("upgrade");
        });
        assertThat(s.submit(early, new byte[10], 0)).isEqualTo(FrameAdmission.REFUSED);
    }

    @Test
    void theEffectiveBudgetIsTheRequestClampedToThePeersBounds() {
        OutgoingStreams s = new OutgoingStreams(7, PEER, events::add, StridePlanner.NONE);
        int early = s.open(params(900 * MS), false, 0); // during the handshake: the peer's bounds are not known
        assertThat(s.get(early).budgetNs()).isEqualTo(900 * MS);
        s.onPeerLimits(true, 16, 1 << 20, 50 * MS, 120 * MS, "");
        assertThat(s.get(early).budgetNs()).as("clamped once the bounds are known").isEqualTo(120 * MS);
        int low = s.open(params(10 * MS), false, 0);
        int high = s.open(params(900 * MS), false, 0);
        assertThat(s.get(low).budgetNs()).isEqualTo(50 * MS);
        assertThat(s.get(high).budgetNs()).isEqualTo(120 * MS);
        assertThat(s.submit(low, new byte[(1 << 20) + 1], 0)).as("larger than the peer takes")
                .isEqualTo(FrameAdmission.REFUSED);
    }

    @Test
    void closingSendsStreamCloseAfterTheLastFrameAndEndsWhenItIsAcknowledged() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int id = s.open(params(150 * MS), false, 0);
        ackOpen(s, id);
        s.submit(id, new byte[10], 0);
        s.close(id);
        OutgoingStream st = s.get(id);
        assertThat(st.closePendingNow()).as("the waiting frame goes first").isFalse();
        assertThat(s.submit(id, new byte[10], 0)).isEqualTo(FrameAdmission.REFUSED);
        sendNext(s, 0, 0);
        s.onFragmentAcked(id, 0, 0);
        s.sweep(1 * MS, 0, FAST);
        assertThat(st.closePendingNow()).isTrue();
        s.onCloseSent(st);
        s.onCloseLost(id);
        assertThat(st.closePendingNow()).isTrue();
        s.onCloseSent(st);
        s.onCloseAcked(id);
        assertThat(s.get(id)).isNull();
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(StreamEnded.class, e -> {
            assertThat(e.errorCode()).isZero();
            assertThat(e.stats().frames()).isEqualTo(1);
        });
    }

    @Test
    void parityCarriesTheXorOfItsGroupsFragmentsZeroPaddedAndGoesAfterTheData() {
        long seed = Long.getLong("udpix.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        OutgoingStreams s = streams((mode, loss, srtt, budget, count, serialisationNs) -> 3);
        int id = s.open(params(150 * MS), false, 0);
        ackOpen(s, id);
        byte[] frame = new byte[7 * F + 13 + random.nextInt(F - 20)];
        random.nextBytes(frame);
        s.submit(id, frame, 0);
        List<String> order = new ArrayList<>();
        ByteBuffer parity = ByteBuffer.allocate(F + 16);
        for (int k = 0; k < 11; k++) {
            assertThat(s.pick(0, 0, FAST, ROOM, 0)).isTrue();
            if (s.pickedKind() == OutgoingStreams.Kind.PARITY) {
                int g = s.pickedIndex();
                int fp = s.pickedFrame().fragmentBytes(); // equal fragments: ceil(L / 8), at most F
                assertThat(fp).isLessThanOrEqualTo(F);
                s.pickedFrame().writeParity(g, parity, 16);
                byte[] expected = new byte[fp];
                for (int i = g; i < 8; i += 3) {
                    for (int j = 0; j < fp && i * fp + j < frame.length; j++) {
                        expected[j] ^= frame[i * fp + j];
                    }
                }
                byte[] actual = new byte[fp];
                parity.get(16, actual);
                assertThat(actual).as("parity group %d, seed=%d (re-run with -Dudpix.seed=%d)", g, seed, seed)
                        .isEqualTo(expected);
            }
            order.add(s.pickedKind() + ":" + s.pickedIndex());
            s.onPickedSent();
        }
        assertThat(order).containsExactly("NEW:0", "NEW:1", "NEW:2", "NEW:3", "NEW:4", "NEW:5", "NEW:6", "NEW:7",
                "PARITY:0", "PARITY:1", "PARITY:2");
        assertThat(s.pick(0, 0, FAST, ROOM, 0)).isFalse();
        // A lost parity packet is never sent again.
        s.onFragmentLost(id, 0, -1, 1 * MS, 0);
        assertThat(s.pick(1 * MS, 0, FAST, ROOM, 0)).isFalse();
    }

    @Test
    void parityOnlyTakesCapacityToSpareWithinOneFrameInterval() {
        OutgoingStreams s = streams((mode, loss, srtt, budget, count, serialisationNs) -> 3);
        int id = s.open(params(150 * MS).withHints(3000, 0, 0), false, 0); // 30 fps: 33.3 ms per frame
        ackOpen(s, id);
        // 10 fragments per frame; at 200 fragments a second a frame alone takes 50 ms, more than its interval.
        s.submit(id, new byte[10 * F], 0);
        assertThat(s.pick(0, 0, 200L * F, ROOM, 0.05)).isTrue();
        assertThat(s.pickedFrame().stride()).as("a link slower than the stream gets no parity").isZero();
        // At 1,000 fragments a second 33 fragments fit an interval: the planner's 3 groups are granted.
        s.submit(id, new byte[10 * F], 40 * MS);
        for (int k = 0; k < 10; k++) {
            s.pick(40 * MS, 0, 1000L * F, ROOM, 0.05);
            s.onPickedSent();
        }
        assertThat(s.pick(41 * MS, 0, 1000L * F, ROOM, 0.05)).isTrue();
        assertThat(s.pickedFrame().frameNumber()).isEqualTo(1);
        assertThat(s.pickedFrame().stride()).isEqualTo(3);
    }

    @Test
    void choosingWritingAndAcknowledgingStreamPacketsAllocatesNothingPerPacket() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        OutgoingStreams s = streams((mode, loss, srtt, budget, count, serialisationNs) -> 2);
        int a = s.open(params(150 * MS), false, 0);
        int b = s.open(params(100 * MS), false, 0);
        ackOpen(s, a);
        ackOpen(s, b);
        byte[][] frames = new byte[64][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new byte[10 * F - 7];
        }
        ByteBuffer packet = ByteBuffer.allocateDirect(ROOM + 64);
        long nowNs = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            int packets = 0;
            for (int n = 0; n < 200; n++, nowNs += 16 * MS) {
                s.submit(a, frames[n % 64], nowNs);
                s.submit(b, frames[(n + 1) % 64], nowNs);
                while (s.pick(nowNs, 20 * MS, FAST, ROOM, 0.01)) {
                    OutgoingFrame f = s.pickedFrame();
                    int stream = s.pickedStream().streamId();
                    int index = s.pickedIndex();
                    if (s.pickedKind() == OutgoingStreams.Kind.PARITY) {
                        f.writeParity(index, packet, 30);
                        index = -1;
                    } else {
                        f.copyFragment(index, packet, 28);
                    }
                    long number = f.frameNumber();
                    s.onPickedSent();
                    packets++;
                    if (index >= 0 && (packets % 10) == 3) {
                        s.onFragmentLost(stream, number, index, nowNs, 20 * MS);
                    } else {
                        s.onFragmentAcked(stream, number, index);
                    }
                }
                s.sweep(nowNs, 20 * MS, FAST);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            assertThat(packets).isGreaterThan(4_000);
            if (round == 1) { // round 0 warms up (and grows the pooled bit sets once)
                assertThat(allocated).as("bytes allocated for %d stream packets", packets).isLessThan(10_000);
            }
        }
    }

    @Test
    void aLossTooLateToRepairIsNotAbandonedWhileItsGroupsParityMayStillRebuildIt() {
        OutgoingStreams s = streams((mode, loss, srtt, budget, count, serialisationNs) -> 2);
        int id = s.open(params(100 * MS), false, 0);
        ackOpen(s, id);
        long srtt = 40 * MS;
        s.submit(id, new byte[6 * F], 0); // fragments 0..5, groups {0,2,4} and {1,3,5}, deadline 100 ms
        for (int k = 0; k < 8; k++) {
            sendNext(s, 1 * MS, srtt); // 6 fragments, then parity 0 and 1
        }
        OutgoingStream st = s.get(id);
        // Fragment 2 is lost too late for a repair; group 0's parity is out and no other group-0 loss is known.
        s.onFragmentLost(id, 0, 2, 85 * MS, srtt);
        assertThat(st.abandonPendingNow()).as("the receiver may rebuild it: no ABANDON").isFalse();
        assertThat(st.frameCount()).isEqualTo(1);
        // Fragment 4 of the same group is lost too: one parity cannot rebuild two, the frame is given up.
        s.onFragmentLost(id, 0, 4, 86 * MS, srtt);
        assertThat(st.abandonPendingNow()).isTrue();
        assertThat(st.abandonedUpTo()).isZero();
        // Next frame: its group-1 parity is lost, then a group-1 fragment too late: abandoned at once.
        s.submit(id, new byte[6 * F], 100 * MS);
        for (int k = 0; k < 8; k++) {
            sendNext(s, 101 * MS, srtt);
        }
        s.onParityLost(id, 1, 1, 150 * MS, srtt);
        s.onFragmentLost(id, 1, 3, 185 * MS, srtt);
        assertThat(st.abandonedUpTo()).isEqualTo(1);
    }

    @Test
    void everyStreamEndsWithTheConnectionsCodeWhenTheConnectionEnds() {
        OutgoingStreams s = streams(StridePlanner.NONE);
        int a = s.open(params(150 * MS), false, 0);
        int b = s.open(params(150 * MS), false, 0);
        ackOpen(s, a);
        s.submit(a, new byte[3 * F], 0);
        sendNext(s, 0, 0);
        s.submit(b, new byte[10], 0);
        events.clear();
        s.endAll(17, "nothing we sent was acknowledged");
        assertThat(events).hasSize(2).allSatisfy(e -> assertThat(e).isInstanceOfSatisfying(StreamEnded.class, x -> {
            assertThat(x.errorCode()).isEqualTo(17);
            assertThat(x.reason()).isEqualTo("nothing we sent was acknowledged");
            assertThat(x.incoming()).isFalse();
        }));
        assertThat(events.stream().map(e -> ((StreamEnded) e).stats().frames())).containsExactlyInAnyOrder(1L, 0L);
        assertThat(s.isEmpty()).isTrue();
        assertThat(s.submit(a, new byte[10], 1)).isEqualTo(FrameAdmission.REFUSED);
        assertThat(s.nextTimerNs(0)).isEqualTo(Long.MAX_VALUE);
    }
}
