package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameLayoutTest {

    @Test
    void cutsAFrameIntoFullFragmentsAndAShorterLastOne() {
        assertThat(FrameLayout.fragmentCount(100_000, 1_400)).isEqualTo(72);
        assertThat(FrameLayout.fragmentOffset(100_000, 1_400, 71)).isEqualTo(99_400);
        assertThat(FrameLayout.fragmentLength(100_000, 1_400, 70)).isEqualTo(1_400);
        assertThat(FrameLayout.fragmentLength(100_000, 1_400, 71)).isEqualTo(600);
    }

    @Test
    void aFrameThatIsAWholeNumberOfFragmentsEndsWithAFullOne() {
        assertThat(FrameLayout.fragmentCount(2_800, 1_400)).isEqualTo(2);
        assertThat(FrameLayout.fragmentLength(2_800, 1_400, 1)).isEqualTo(1_400);
        assertThat(FrameLayout.fragmentCount(1, 1_400)).isEqualTo(1);
        assertThat(FrameLayout.fragmentLength(1, 1_400, 0)).isEqualTo(1);
    }

    @Test
    void fragmentsCoverTheFrameExactlyOnce() {
        for (int length : new int[] {1, 7, 1_399, 1_400, 1_401, 99_999, 300_000}) {
            for (int size : new int[] {1, 8, 1_200, 1_400, 65_535}) {
                if (!FrameLayout.isValid(length, size)) {
                    continue;
                }
                int count = FrameLayout.fragmentCount(length, size);
                long covered = 0;
                for (int i = 0; i < count; i++) {
                    assertThat(FrameLayout.fragmentOffset(length, size, i)).isEqualTo(covered);
                    int fragment = FrameLayout.fragmentLength(length, size, i);
                    assertThat(fragment).isBetween(1, size);
                    covered += fragment;
                }
                assertThat(covered).as("L=%d F=%d", length, size).isEqualTo(length);
            }
        }
    }

    @Test
    void allowsAtMost65536FragmentsBecauseTheIndexIsAU16() {
        assertThat(FrameLayout.isValid(65_536L * 100, 100)).isTrue();
        assertThat(FrameLayout.fragmentCount(65_536L * 100, 100)).isEqualTo(65_536);
        assertThat(FrameLayout.isValid(65_536L * 100 + 1, 100)).isFalse();
        assertThat(FrameLayout.problem(65_536L * 100 + 1, 100)).contains("65,536 fragments").contains("larger");
    }

    @Test
    void refusesLengthsAndSizesTheWireCannotCarry() {
        assertThat(FrameLayout.isValid(0, 1_400)).isFalse();
        assertThat(FrameLayout.isValid(-1, 1_400)).isFalse();
        assertThat(FrameLayout.isValid(1L << 31, 65_535)).isFalse();
        assertThat(FrameLayout.isValid(Integer.MAX_VALUE, 65_535)).isTrue();
        assertThat(FrameLayout.isValid(100, 0)).isFalse();
        assertThat(FrameLayout.isValid(100, 65_536)).isFalse();
        assertThat(FrameLayout.problem(0, 1_400)).contains("frame length");
        assertThat(FrameLayout.problem(100, 0)).contains("fragment size");
        assertThat(FrameLayout.problem(100, 10)).isNull();
        assertThatThrownBy(() -> FrameLayout.fragmentCount(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("frame length");
    }

    @Test
    void refusesAFragmentIndexOutsideTheFrame() {
        assertThatThrownBy(() -> FrameLayout.fragmentLength(100, 10, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 9");
        assertThatThrownBy(() -> FrameLayout.fragmentOffset(100, 10, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void groupsOfAStrideShareTheFragmentsOut() {
        // 10 fragments, stride 4: groups {0,4,8} {1,5,9} {2,6} {3,7}
        assertThat(FrameLayout.groupFragmentCount(10, 4, 0)).isEqualTo(3);
        assertThat(FrameLayout.groupFragmentCount(10, 4, 1)).isEqualTo(3);
        assertThat(FrameLayout.groupFragmentCount(10, 4, 2)).isEqualTo(2);
        assertThat(FrameLayout.groupFragmentCount(10, 4, 3)).isEqualTo(2);
        assertThat(FrameLayout.groupFragmentCount(10, 10, 9)).isEqualTo(1);
        assertThat(FrameLayout.groupFragmentCount(10, 1, 0)).isEqualTo(10);
        assertThatThrownBy(() -> FrameLayout.groupFragmentCount(10, 11, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameLayout.groupFragmentCount(10, 4, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
