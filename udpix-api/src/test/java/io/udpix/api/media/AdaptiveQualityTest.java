package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.TestSeeds;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdaptiveQualityTest {
    private static final double FPS = 30;

    /**
     * A synthetic encoder: bytes of a 1080p frame at a setting = pixels x bits per pixel / 8, bits per pixel
     * 0.3 + 2.7 (q/100)^2 (q90: ~2.5, q30: ~0.54, roughly what camera content gives), times the scale squared,
     * times seeded noise of +-{@code noise}.
     */
    private static final class SizeModel {
        private final Random random;
        private final double noise;

        SizeModel(long seed, double noise) {
            this.random = new Random(seed);
            this.noise = noise;
        }

        int bytes(AdaptiveQuality.Setting s) {
            double q = s.quality() / 100.0;
            double bitsPerPixel = 0.3 + 2.7 * q * q;
            double n = 1 + noise * (2 * random.nextDouble() - 1);
            return (int) (1920.0 * 1080 * s.scale() * s.scale() * bitsPerPixel / 8 * n);
        }

        /** The rate at which {@code s} uses exactly the share of it frames may use. */
        static long rateFor(AdaptiveQuality.Setting s) {
            double q = s.quality() / 100.0;
            return (long) (1920.0 * 1080 * s.scale() * s.scale() * (0.3 + 2.7 * q * q) / 8 * FPS
                    / AdaptiveQuality.DEFAULT_HEADROOM);
        }
    }

    /** Runs {@code frames} frames at {@code rate}; returns how many were more than 10% over the target. */
    private static int run(AdaptiveQuality aq, SizeModel model, long rate, int frames) {
        int over = 0;
        for (int i = 0; i < frames; i++) {
            int bytes = model.bytes(aq.current());
            aq.onFrame(bytes, rate, FPS);
            if (bytes > aq.targetBytes() * 1.1) {
                over++;
            }
        }
        return over;
    }

    @Test
    void theLadderRunsFromTheUsersQualityDownThenToSmallerSizes() {
        assertThat(AdaptiveQuality.ladder(85, true).stream().map(Object::toString).toList()).containsExactly(
                "q85", "q80", "q70", "q60", "q50", "q40", "q30", "q40 @3/4", "q30 @3/4", "q40 @1/2", "q30 @1/2");
        assertThat(AdaptiveQuality.ladder(40, false).stream().map(Object::toString).toList())
                .containsExactly("q40", "q30");
        assertThat(AdaptiveQuality.ladder(20, true).stream().map(Object::toString).toList())
                .containsExactly("q20", "q20 @3/4", "q20 @1/2");
        assertThat(new AdaptiveQuality.Setting(30, 3, 4).scaled(1080)).isEqualTo(810);
        assertThat(new AdaptiveQuality.Setting(30, 3, 4).scaled(1366)).as("even, for 4:2:0").isEqualTo(1024);
        assertThatThrownBy(() -> AdaptiveQuality.ladder(0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void staysAtTheTopWhenTheRateIsAmpleAndStillWhenTheRateIsUnknown() {
        long seed = TestSeeds.seed(21);
        AdaptiveQuality aq = new AdaptiveQuality(90);
        SizeModel model = new SizeModel(seed, 0.1);
        assertThat(run(aq, model, 1_000_000_000L, 300)).isZero();
        assertThat(aq.rung()).isZero();
        AdaptiveQuality unknown = new AdaptiveQuality(90);
        unknown.onFrame(5_000_000, 0, FPS);
        unknown.onFrame(5_000_000, 1000, 0);
        assertThat(unknown.rung()).isZero();
        assertThat(unknown.targetBytes()).isEqualTo(-1);
    }

    @Test
    void stepsDownWithinThreeFramesWhenTheRateDrops() {
        long seed = TestSeeds.seed(22);
        AdaptiveQuality aq = new AdaptiveQuality(90);
        SizeModel model = new SizeModel(seed, 0.05);
        run(aq, model, 1_000_000_000L, 100);
        // Room for q50 at full size (with 20% to spare): the ladder must get there fast.
        long rate = (long) (SizeModel.rateFor(new AdaptiveQuality.Setting(50, 1, 1)) * 1.2);
        int overInFirstFrames = run(aq, model, rate, 3);
        assertThat(overInFirstFrames).as("seed=%d", seed).isLessThanOrEqualTo(3);
        assertThat(run(aq, model, rate, 300)).as("frames over the target once settled, seed=%d", seed).isZero();
        assertThat(aq.current().quality()).as("seed=%d", seed).isBetween(40, 60);
        assertThat(aq.current().fullSize()).isTrue();
    }

    @Test
    void lowersTheResolutionWhenTheLowestQualityIsStillTooLarge() {
        long seed = TestSeeds.seed(23);
        AdaptiveQuality aq = new AdaptiveQuality(90);
        SizeModel model = new SizeModel(seed, 0.05);
        long rate = (long) (SizeModel.rateFor(new AdaptiveQuality.Setting(40, 3, 4)) * 1.15);
        run(aq, model, rate, 30);
        assertThat(run(aq, model, rate, 300)).as("seed=%d", seed).isZero();
        assertThat(aq.current().scale()).isEqualTo(0.75);
        assertThat(aq.overBudget()).isFalse();
    }

    @Test
    void saysItIsOverBudgetWhenEvenTheSmallestSettingDoesNotFit() {
        AdaptiveQuality aq = new AdaptiveQuality(90);
        SizeModel model = new SizeModel(TestSeeds.seed(24), 0.0);
        long rate = SizeModel.rateFor(new AdaptiveQuality.Setting(30, 1, 2)) / 3;
        run(aq, model, rate, 20);
        assertThat(aq.current()).isEqualTo(new AdaptiveQuality.Setting(30, 1, 2));
        assertThat(aq.overBudget()).isTrue();
    }

    @Test
    void climbsBackOneRungAtATimeAndNoFasterThanTheUpDelay() {
        long seed = TestSeeds.seed(25);
        AdaptiveQuality aq = new AdaptiveQuality(90);
        SizeModel model = new SizeModel(seed, 0.05);
        run(aq, model, SizeModel.rateFor(new AdaptiveQuality.Setting(30, 1, 2)), 50);
        int bottom = aq.rung();
        assertThat(bottom).isEqualTo(aq.settings().size() - 1);
        long upDelayFrames = Math.round(AdaptiveQuality.DEFAULT_UP_DELAY_SECONDS * FPS);
        int lastRung = bottom;
        long lastChange = -1; // the first step's wait began before this loop
        for (int i = 1; i <= 60 * 30; i++) {
            aq.onFrame(model.bytes(aq.current()), 1_000_000_000L, FPS);
            if (aq.rung() != lastRung) {
                assertThat(aq.rung()).as("one rung up at a time, seed=%d", seed).isEqualTo(lastRung - 1);
                if (lastChange >= 0) {
                    assertThat(i - lastChange).as("frames between steps up, seed=%d", seed)
                            .isGreaterThanOrEqualTo(upDelayFrames);
                }
                lastRung = aq.rung();
                lastChange = i;
            }
        }
        assertThat(aq.rung()).as("back at the top within a minute, seed=%d", seed).isZero();
    }

    @Test
    void doesNotPumpWhenTheTargetSitsBetweenTwoRungs() {
        long seed = TestSeeds.seed(26);
        for (int trial = 0; trial < 20; trial++) {
            Random random = new Random(seed + trial);
            List<AdaptiveQuality.Setting> ladder = AdaptiveQuality.ladder(90, true);
            int k = 1 + random.nextInt(ladder.size() - 2);
            long low = SizeModel.rateFor(ladder.get(k));
            long high = SizeModel.rateFor(ladder.get(k - 1));
            long rate = low + (long) ((high - low) * random.nextDouble());
            AdaptiveQuality aq = new AdaptiveQuality(90);
            SizeModel model = new SizeModel(seed + trial, 0.1);
            run(aq, model, rate, 300);
            int changes = 0;
            int lastRung = aq.rung();
            int over = 0;
            int frames = 10 * 60 * 30; // ten minutes at 30 fps
            for (int i = 0; i < frames; i++) {
                int bytes = model.bytes(aq.current());
                aq.onFrame(bytes, rate, FPS);
                over += bytes > aq.targetBytes() * 1.1 ? 1 : 0;
                if (aq.rung() != lastRung) {
                    changes++;
                    lastRung = aq.rung();
                }
            }
            assertThat(changes).as("setting changes in ten minutes, seed=%d trial=%d rung=%d", seed, trial, k)
                    .isLessThanOrEqualTo(40);
            assertThat(over).as("frames more than 10%% over the target, seed=%d trial=%d", seed, trial)
                    .isLessThanOrEqualTo(frames / 50);
        }
    }
}
