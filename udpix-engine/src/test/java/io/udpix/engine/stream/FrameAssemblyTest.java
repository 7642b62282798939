package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameAssemblyTest {
    private static final int HEADER = 28;

    /** A packet holding fragment {@code index} of {@code frame} after a 28-byte header, as a receiver sees it. */
    private static ByteBuffer fragmentPacket(byte[] frame, int size, int index) {
        int length = FrameLayout.fragmentLength(frame.length, size, index);
        ByteBuffer packet = ByteBuffer.allocate(HEADER + length + 16);
        packet.put(HEADER, frame, index * size, length);
        return packet;
    }

    private static ByteBuffer parityPacket(byte[] frame, int size, int stride, int group) {
        ByteBuffer packet = ByteBuffer.allocate(30 + size + 16);
        ParityEncoder.encode(frame, size, stride, group, packet, 30);
        return packet;
    }

    private static boolean addFragment(FrameAssembly a, byte[] frame, int size, int index) {
        return a.addFragment(frame.length, size, index, fragmentPacket(frame, size, index), HEADER,
                FrameLayout.fragmentLength(frame.length, size, index));
    }

    private static boolean addParity(FrameAssembly a, byte[] frame, int size, int stride, int group) {
        return a.addParity(frame.length, size, stride, group, parityPacket(frame, size, stride, group), 30, size);
    }

    private static byte[] frame(int length, long seed) {
        byte[] frame = new byte[length];
        new Random(seed).nextBytes(frame);
        return frame;
    }

    @Test
    void assemblesAFrameFromItsFragmentsInAnyOrderAndIgnoresDuplicates() {
        byte[] frame = frame(10_000, 1);
        FrameAssembly a = new FrameAssembly(frame.length, 1_400);
        assertThat(a.fragmentCount()).isEqualTo(8);
        int[] order = {7, 3, 0, 5, 1, 6, 2, 4};
        for (int k = 0; k < order.length; k++) {
            assertThat(a.isComplete()).isFalse();
            assertThat(addFragment(a, frame, 1_400, order[k])).isTrue();
            assertThat(addFragment(a, frame, 1_400, order[k])).as("duplicate").isFalse();
        }
        assertThat(a.isComplete()).isTrue();
        assertThat(a.bytes()).isEqualTo(frame);
        assertThat(a.fecUsed()).isFalse();
        assertThat(a.duplicates()).isEqualTo(8);
        assertThat(a.rejected()).isZero();
        assertThat(a.receivedDataBytes()).isEqualTo(10_000);
        assertThat(a.receivedBytes()).isEqualTo(10_000);
    }

    @Test
    void recoversTheOneMissingFragmentOfAGroupWhenItsParityComesLast() {
        byte[] frame = frame(10_000, 2); // 8 fragments, stride 3: {0,3,6} {1,4,7} {2,5}
        FrameAssembly a = new FrameAssembly(frame.length, 1_400);
        for (int i = 0; i < 8; i++) {
            if (i != 4) {
                addFragment(a, frame, 1_400, i);
            }
        }
        assertThat(a.isComplete()).isFalse();
        assertThat(addParity(a, frame, 1_400, 3, 0)).isTrue(); // group 0 is whole: nothing to do
        assertThat(a.isComplete()).isFalse();
        assertThat(addParity(a, frame, 1_400, 3, 1)).isTrue();
        assertThat(a.isComplete()).isTrue();
        assertThat(a.bytes()).isEqualTo(frame);
        assertThat(a.fecUsed()).isTrue();
        assertThat(a.recoveredFragments()).isEqualTo(1);
        assertThat(a.receivedParityBytes()).isEqualTo(2_800);
        assertThat(addFragment(a, frame, 1_400, 4)).as("the recovered fragment arriving late").isFalse();
    }

    @Test
    void recoversWhenTheParityComesBeforeTheFragments() {
        byte[] frame = frame(10_000, 3);
        FrameAssembly a = new FrameAssembly(frame.length, 1_400);
        addParity(a, frame, 1_400, 2, 0);
        addParity(a, frame, 1_400, 2, 1);
        for (int i : new int[] {1, 2, 3, 4, 5, 6}) { // 0 (group 0) and 7 (group 1, the short last one) missing
            addFragment(a, frame, 1_400, i);
        }
        assertThat(a.isComplete()).isTrue();
        assertThat(a.recoveredFragments()).isEqualTo(2);
        assertThat(a.bytes()).isEqualTo(frame);
    }

    @Test
    void recoversTheShortLastFragmentAndAFullOneFromAGroupWithTheShortOne() {
        byte[] frame = frame(7_003, 4); // 5 fragments of 1,500, last 1,003; stride 1: one group
        for (int missing = 0; missing < 5; missing++) {
            FrameAssembly a = new FrameAssembly(frame.length, 1_500);
            for (int i = 0; i < 5; i++) {
                if (i != missing) {
                    addFragment(a, frame, 1_500, i);
                }
            }
            addParity(a, frame, 1_500, 1, 0);
            assertThat(a.isComplete()).as("missing %d", missing).isTrue();
            assertThat(a.bytes()).isEqualTo(frame);
        }
    }

    @Test
    void aGroupMissingTwoFragmentsStaysIncompleteUntilOneOfThemArrives() {
        byte[] frame = frame(10_000, 5);
        FrameAssembly a = new FrameAssembly(frame.length, 1_400);
        for (int i = 0; i < 8; i++) {
            if (i != 1 && i != 3) {
                addFragment(a, frame, 1_400, i);
            }
        }
        addParity(a, frame, 1_400, 1, 0);
        assertThat(a.isComplete()).isFalse();
        assertThat(a.fecUsed()).isFalse();
        assertThatThrownBy(a::bytes).isInstanceOf(IllegalStateException.class).hasMessageContaining("6 of 8");
        addFragment(a, frame, 1_400, 3); // a retransmission
        assertThat(a.isComplete()).isTrue();
        assertThat(a.bytes()).isEqualTo(frame);
        assertThat(a.fecUsed()).isTrue();
    }

    @Test
    void aSingleFragmentFrameIsRecoveredFromItsParityAlone() {
        byte[] frame = frame(500, 6);
        FrameAssembly a = new FrameAssembly(frame.length, 1_400);
        addParity(a, frame, 1_400, 1, 0);
        assertThat(a.isComplete()).isTrue();
        assertThat(a.bytes()).isEqualTo(frame);
    }

    @Test
    void rejectsPacketsThatDoNotFitTheFrameAndCountsThemWithoutThrowing() {
        byte[] frame = frame(10_000, 7);
        FrameAssembly a = new FrameAssembly(frame.length, 1_400);
        ByteBuffer p = fragmentPacket(frame, 1_400, 0);
        assertThat(a.addFragment(10_001, 1_400, 0, p, HEADER, 1_400)).isFalse();
        assertThat(a.lastRejection()).contains("frame length or fragment size");
        assertThat(a.addFragment(10_000, 1_200, 0, p, HEADER, 1_200)).isFalse();
        assertThat(a.addFragment(8, p, HEADER, 1_400)).isFalse();
        assertThat(a.lastRejection()).contains("index");
        assertThat(a.addFragment(-1, p, HEADER, 1_400)).isFalse();
        assertThat(a.addFragment(0, p, HEADER, 1_399)).isFalse();
        assertThat(a.lastRejection()).contains("length");
        assertThat(a.addFragment(7, p, HEADER, 1_400)).as("the last fragment is 200 bytes").isFalse();
        assertThat(a.addFragment(0, p, p.limit() - 100, 1_400)).isFalse();
        assertThat(a.lastRejection()).contains("outside");
        assertThat(a.addFragment(0, p, -5, 1_400)).isFalse();
        assertThat(a.addFragment(0, p, Integer.MAX_VALUE, 1_400)).isFalse();
        ByteBuffer q = parityPacket(frame, 1_400, 2, 0);
        assertThat(a.addParity(0, 0, q, 30, 1_400)).isFalse();
        assertThat(a.addParity(9, 0, q, 30, 1_400)).isFalse();
        assertThat(a.addParity(2, 2, q, 30, 1_400)).isFalse();
        assertThat(a.addParity(2, -1, q, 30, 1_400)).isFalse();
        assertThat(a.addParity(2, 0, q, 30, 1_000)).isFalse();
        assertThat(a.addParity(2, 0, q, q.limit() - 10, 1_400)).isFalse();
        assertThat(a.addParity(10_000, 1_300, 2, 0, q, 30, 1_300)).isFalse();
        assertThat(a.addParity(2, 0, q, 30, 1_400)).isTrue();
        assertThat(a.addParity(3, 0, q, 30, 1_400)).as("another stride").isFalse();
        assertThat(a.lastRejection()).contains("stride differs");
        assertThat(a.rejected()).isEqualTo(17);
        assertThat(a.presentFragments()).isZero();
        // what was received before is intact
        for (int i = 0; i < 8; i++) {
            addFragment(a, frame, 1_400, i);
        }
        assertThat(a.bytes()).isEqualTo(frame);
    }

    @Test
    void readsFragmentsFromDirectBuffersWithoutMovingThem() {
        byte[] frame = frame(3_000, 8);
        FrameAssembly a = new FrameAssembly(frame.length, 1_000);
        for (int i = 0; i < 3; i++) {
            ByteBuffer direct = ByteBuffer.allocateDirect(1_100);
            direct.put(50, frame, i * 1_000, 1_000);
            direct.position(3).limit(1_060);
            assertThat(a.addFragment(i, direct, 50, 1_000)).isTrue();
            assertThat(direct.position()).isEqualTo(3);
        }
        assertThat(a.bytes()).isEqualTo(frame);
    }

    @Test
    void footprintCountsTheFrameAndItsParityAndStaysBelowTheBound() {
        FrameAssembly a = new FrameAssembly(100_000, 1_400);
        assertThat(a.footprintBytes()).isBetween(100_000L, 100_500L);
        byte[] frame = frame(100_000, 9);
        addParity(a, frame, 1_400, 8, 0);
        assertThat(a.footprintBytes()).isBetween(100_000L + 8 * 1_400, 100_000L + 8 * 1_400 + 600);
        assertThat(a.footprintBytes()).isLessThanOrEqualTo(FrameAssembly.maxFootprintBytes(100_000, 1_400));
        FrameAssembly worst = new FrameAssembly(100_000, 1_400);
        addParity(worst, frame, 1_400, 72, 0);
        assertThat(worst.footprintBytes()).isLessThanOrEqualTo(FrameAssembly.maxFootprintBytes(100_000, 1_400));
    }

    @Test
    void recoversExactlyWhenEveryGroupLostAtMostOnePacket() {
        long seed = TestSeeds.seed();
        Random random = new Random(seed);
        int recoveredFrames = 0;
        int unrecoverable = 0;
        for (int round = 0; round < 2_000; round++) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 64 : 1_400);
            int length = 1 + random.nextInt(random.nextInt(4) == 0 ? 200_000 : 12_000);
            if (!FrameLayout.isValid(length, size)) {
                continue;
            }
            byte[] frame = new byte[length];
            random.nextBytes(frame);
            int count = FrameLayout.fragmentCount(length, size);
            int stride = 1 + random.nextInt(Math.min(count, 1 + random.nextInt(64)));
            double loss = random.nextDouble() * 0.3;
            boolean[] lostFragment = new boolean[count];
            boolean[] lostParity = new boolean[stride];
            List<int[]> packets = new ArrayList<>(); // {kind 0 fragment / 1 parity, index}
            for (int i = 0; i < count; i++) {
                lostFragment[i] = random.nextDouble() < loss;
                if (!lostFragment[i]) {
                    packets.add(new int[] {0, i});
                }
            }
            for (int g = 0; g < stride; g++) {
                lostParity[g] = random.nextDouble() < loss;
                if (!lostParity[g]) {
                    packets.add(new int[] {1, g});
                }
            }
            Collections.shuffle(packets, random);
            if (random.nextInt(4) == 0 && !packets.isEmpty()) {
                packets.add(packets.get(random.nextInt(packets.size()))); // a duplicate
            }
            // The expectation, from the definition: each group lost no fragment, or one and not its parity.
            boolean expected = true;
            int expectedRecovered = 0;
            for (int g = 0; g < stride; g++) {
                int lost = 0;
                for (int i = g; i < count; i += stride) {
                    lost += lostFragment[i] ? 1 : 0;
                }
                if (lost > 1 || (lost == 1 && lostParity[g])) {
                    expected = false;
                }
                expectedRecovered += lost == 1 && !lostParity[g] ? 1 : 0;
            }
            FrameAssembly a = new FrameAssembly(length, size);
            for (int[] packet : packets) {
                if (packet[0] == 0) {
                    addFragment(a, frame, size, packet[1]);
                } else {
                    addParity(a, frame, size, stride, packet[1]);
                }
            }
            String what = String.format("L=%d F=%d G=%d round %d %s", length, size, stride, round,
                    TestSeeds.replay(seed));
            assertThat(a.isComplete()).as(what).isEqualTo(expected);
            // A parity overtaking its group's last fragment recovers that one early: at least the lost ones.
            assertThat(a.recoveredFragments()).as(what).isBetween(expectedRecovered, stride);
            assertThat(a.rejected()).as(what + " " + a.lastRejection()).isZero();
            if (expected) {
                assertThat(a.bytes()).as(what).isEqualTo(frame);
                recoveredFrames += expectedRecovered > 0 ? 1 : 0;
            } else {
                unrecoverable++;
                for (int i = 0; i < count; i++) {
                    if (a.hasFragment(i)) { // whatever it holds is exact
                        assertThat(java.util.Arrays.equals(frame, i * size,
                                i * size + FrameLayout.fragmentLength(length, size, i), a.partialBytes(),
                                i * size, i * size + FrameLayout.fragmentLength(length, size, i))).as(what)
                                .isTrue();
                    }
                }
            }
        }
        assertThat(recoveredFrames).as("the rounds exercise recovery " + TestSeeds.replay(seed)).isGreaterThan(100);
        assertThat(unrecoverable).as("and frames beyond it " + TestSeeds.replay(seed)).isGreaterThan(100);
    }
}
