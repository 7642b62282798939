package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sender's choice of repairs (docs/PROTOCOL.md 5.8.4): no repair for a fragment its group's parity rebuilds,
 * a repair once the parity is known lost, and several copies of a repair that is the frame's last chance.
 */
class OutgoingStreamsRepairTest {
    private static final long MS = 1_000_000L;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 4000);
    private static final int ROOM = 1030;
    private static final int F = ROOM - OutgoingStreams.PARITY_HEADER_BYTES;
    private static final long FAST = 1_000_000_000L;
    private static final long SRTT = 40 * MS;

    /** A stream (budget {@code budgetNs}, STREAM_OPEN acknowledged) whose frames get {@code stride} parity groups. */
    private static OutgoingStreams streams(int stride) {
        OutgoingStreams s = new OutgoingStreams(7, PEER, e -> { }, (mode, loss, srtt, budget, count, ser) -> stride);
        s.onPeerLimits(true, 16, 16 << 20, 0, 10_000 * MS, "");
        return s;
    }

    private static int open(OutgoingStreams s, long budgetNs) {
        int id = s.open(StreamParams.jpeg("cam").withLatencyBudgetNs(budgetNs).withFec(FecMode.AUTO), false, 0);
        s.onOpenAcked(id);
        return id;
    }

    /** Sends what pick() chose at {@code lossRate} and returns "frame:kind:index", or "none". */
    private static String sendNext(OutgoingStreams s, long nowNs, double lossRate) {
        if (!s.pick(nowNs, SRTT, FAST, ROOM, lossRate)) {
            return "none";
        }
        String what = s.pickedFrame().frameNumber() + ":" + s.pickedKind() + ":" + s.pickedIndex();
        s.onPickedSent();
        return what;
    }

    /** Everything pick() chooses at {@code nowNs} until it has nothing. */
    private static List<String> drain(OutgoingStreams s, long nowNs, double lossRate) {
        List<String> sent = new ArrayList<>();
        for (String what = sendNext(s, nowNs, lossRate); !what.equals("none"); what = sendNext(s, nowNs, lossRate)) {
            sent.add(what);
        }
        return sent;
    }

    private static StreamStats stats(OutgoingStreams s) {
        List<StreamStats> out = new ArrayList<>();
        s.addStats(out, 0);
        return out.get(0);
    }

    @Test
    void aLostFragmentWhoseGroupsParityIsOutIsRepairedOnlyOnceTheParityIsDeclaredLost() {
        OutgoingStreams s = streams(2);
        int id = open(s, 150 * MS);
        s.submit(id, new byte[6 * F], 0); // fragments 0..5, groups {0,2,4} and {1,3,5}, deadline 150 ms
        assertThat(drain(s, 1 * MS, 0.05)).hasSize(8); // 6 fragments, parity 0 and 1
        // Fragment 2 is lost; group 0's parity went out: the receiver rebuilds it, a repair would be waste.
        s.onFragmentLost(id, 0, 2, 45 * MS, SRTT);
        assertThat(sendNext(s, 45 * MS, 0.05)).isEqualTo("none");
        // Fragment 3 is lost, but group 1's parity is already known lost: repaired at once.
        s.onParityLost(id, 0, 1, 46 * MS, SRTT);
        s.onFragmentLost(id, 0, 3, 46 * MS, SRTT);
        assertThat(drain(s, 46 * MS, 0.05)).containsExactly("0:RETRANSMISSION:3");
        // Group 0's parity is declared lost after all: fragment 2 goes now.
        s.onParityLost(id, 0, 0, 50 * MS, SRTT);
        assertThat(drain(s, 50 * MS, 0.05)).containsExactly("0:RETRANSMISSION:2");
        assertThat(stats(s).retransmittedFragments()).isEqualTo(2);
    }

    @Test
    void aParityAcknowledgedWithTheRestOfItsGroupCompletesTheFrameWithoutARepair() {
        OutgoingStreams s = streams(2);
        int id = open(s, 150 * MS);
        s.submit(id, new byte[6 * F], 0);
        drain(s, 1 * MS, 0.05);
        for (int i : new int[] {0, 1, 2, 4, 5}) {
            s.onFragmentAcked(id, 0, i);
        }
        s.onParityAcked(id, 0, 0);
        s.onFragmentLost(id, 0, 3, 45 * MS, SRTT); // group 1's parity is out: held
        assertThat(s.get(id).frameCount()).isEqualTo(1);
        // Group 1's parity arrived and so did 1 and 5: the receiver rebuilt 3, the frame is complete.
        s.onParityAcked(id, 0, 1);
        assertThat(s.get(id).frameCount()).as("the frame's state is freed: complete").isZero();
        assertThat(drain(s, 46 * MS, 0.05)).isEmpty();
        assertThat(stats(s).retransmittedFragments()).isZero();
        assertThat(stats(s).abandoned()).isZero();
    }

    @Test
    void aFragmentOfAFrameWhoseDataWentOutLateIsRepairedAtOnceThoughItsParityIsOut() {
        OutgoingStreams s = streams(2);
        int id = open(s, 150 * MS);
        s.submit(id, new byte[6 * F], 0);
        // The data leaves at 90 ms: a second loss in the group, known at about 90 + 1.25 x 40 ms, could not be
        // repaired by 150 ms, so the parity cannot be counted on to rebuild this one.
        drain(s, 90 * MS, 0.05);
        s.onFragmentLost(id, 0, 2, 95 * MS, SRTT);
        assertThat(sendNext(s, 95 * MS, 0.01)).isEqualTo("0:RETRANSMISSION:2");
    }

    @Test
    void aRepairThatIsTheFramesLastChanceGoesSeveralTimesAfterTheFirstRepairsAndALostCopyIsNoReasonToGiveUp() {
        OutgoingStreams s = streams(0);
        int id = open(s, 100 * MS);
        s.submit(id, new byte[3 * F], 0); // deadline 100 ms
        drain(s, 1 * MS, 0.05);
        // At 10 ms a lost repair would be known by ~60 ms and repaired by ~80 ms: one copy.
        s.onFragmentLost(id, 0, 0, 10 * MS, SRTT);
        assertThat(drain(s, 10 * MS, 0.05)).containsExactly("0:RETRANSMISSION:0");
        // At 35 ms (35 + 1.75 x 40 >= 100) it is the last chance: at 5% loss three copies (0.05^3 <= 0.001).
        // The extra copies go after every first repair of the frame: fragment 2's first copy before 1's second.
        s.onFragmentLost(id, 0, 1, 35 * MS, SRTT);
        s.onFragmentLost(id, 0, 2, 35 * MS, SRTT);
        assertThat(drain(s, 35 * MS, 0.05)).containsExactly("0:RETRANSMISSION:1", "0:RETRANSMISSION:2",
                "0:RETRANSMISSION:1", "0:RETRANSMISSION:1", "0:RETRANSMISSION:2", "0:RETRANSMISSION:2");
        // Two copies are declared lost too late for another repair: the third may still arrive, no ABANDON.
        s.onFragmentLost(id, 0, 1, 85 * MS, SRTT);
        s.onFragmentLost(id, 0, 1, 85 * MS, SRTT);
        assertThat(s.get(id).abandonPendingNow()).isFalse();
        assertThat(s.get(id).frameCount()).isEqualTo(1);
        // The third is lost as well: the frame is given up.
        s.onFragmentLost(id, 0, 1, 86 * MS, SRTT);
        assertThat(s.get(id).abandonPendingNow()).isTrue();
        assertThat(stats(s).retransmittedFragments()).isEqualTo(7);
        // At 1% loss two copies do (0.01^2 <= 0.001).
        s.submit(id, new byte[3 * F], 100 * MS);
        drain(s, 101 * MS, 0.01);
        s.onFragmentLost(id, 1, 2, 140 * MS, SRTT);
        assertThat(drain(s, 140 * MS, 0.01)).containsExactly("1:RETRANSMISSION:2", "1:RETRANSMISSION:2");
    }

    @Test
    void aFrameForgottenUnacknowledgedAtItsDeadlinePlusOneRttCountsAsExpiredNotAbandoned() {
        OutgoingStreams s = streams(0);
        int id = open(s, 100 * MS);
        s.submit(id, new byte[3 * F], 0);
        drain(s, 1 * MS, 0);
        s.onFragmentAcked(id, 0, 0);
        s.onFragmentAcked(id, 0, 2);
        // Fragment 1's acknowledgement never comes (nor a loss): at 100 + 40 ms the frame's state goes.
        s.sweep(139 * MS, SRTT, FAST);
        assertThat(stats(s).expired()).isZero();
        s.sweep(140 * MS, SRTT, FAST);
        assertThat(s.get(id).frameCount()).isZero();
        assertThat(stats(s).expired()).isEqualTo(1);
        assertThat(stats(s).abandoned()).isZero();
        // A frame acknowledged in full is not counted.
        s.submit(id, new byte[F], 200 * MS);
        drain(s, 200 * MS, 0);
        s.onFragmentAcked(id, 1, 0);
        s.sweep(400 * MS, SRTT, FAST);
        assertThat(stats(s).expired()).isEqualTo(1);
        assertThat(stats(s).frames()).isEqualTo(2);
    }

    @Test
    void aLastChanceRepairGoesTwiceAtLowLossAndThreeTimesAtMost() {
        assertThat(RepairPolicy.lastChanceCopies(0)).isEqualTo(2);
        assertThat(RepairPolicy.lastChanceCopies(0.01)).isEqualTo(2);
        assertThat(RepairPolicy.lastChanceCopies(0.05)).isEqualTo(3);
        assertThat(RepairPolicy.lastChanceCopies(0.5)).isEqualTo(3);
        assertThat(RepairPolicy.lastChanceCopies(Double.NaN)).isEqualTo(2);
    }
}
