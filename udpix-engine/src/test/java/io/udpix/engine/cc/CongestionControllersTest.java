package io.udpix.engine.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CongestionControllersTest {

    @Test
    void namesSelectTheirControllerInAnyCase() {
        assertThat(CongestionControllers.byName("bbr").create(1200, 0)).isInstanceOf(Bbr.class);
        assertThat(CongestionControllers.byName("NewReno").create(1200, 0)).isInstanceOf(NewReno.class);
        assertThat(CongestionControllers.byName(" newreno ").create(1200, 0).name()).isEqualTo("newreno");
        assertThat(CongestionControllers.byName(CongestionControllers.DEFAULT_NAME).create(1200, 0).name())
                .isEqualTo("bbr");
    }

    @Test
    void anUnknownNameIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> CongestionControllers.byName("cubic"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"cubic\"")
                .hasMessageContaining("bbr, newreno");
        assertThatThrownBy(() -> CongestionControllers.byName(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bbr, newreno");
    }

    @Test
    void everyFactoryStartsControllersWithTheirInitialWindow() {
        assertThat(CongestionControllers.bbr().create(1000, 0).congestionWindowBytes()).isEqualTo(32_000);
        assertThat(CongestionControllers.newReno().create(1000, 0).congestionWindowBytes()).isEqualTo(10_000);
        assertThat(CongestionControllers.bbr().create(1000, 0).pacingRateBytesPerSecond()).isPositive();
    }

    @Test
    void theSameSeedAndConnectionOrderGiveTheSameBehaviour() {
        long seed = TestSeeds.seed();
        String first = probeBwPhases(CongestionControllers.bbr(seed));
        String again = probeBwPhases(CongestionControllers.bbr(seed));
        assertThat(again).as("seed=%d", seed).isEqualTo(first);
    }

    @Test
    void connectionsOfOneFactoryDrawDifferentRandomPhases() {
        long seed = TestSeeds.seed();
        CongestionControllerFactory factory = CongestionControllers.bbr(seed);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            seen.add(probeBwPhases(factory));
        }
        // Each connection starts PROBE_BW at one of 7 phases; 12 identical draws would have odds (1/7)^11.
        assertThat(seen).as("seed=%d", seed).hasSizeGreaterThan(1);
    }

    /** The PROBE_BW cycle index after a fixed manual start, for one new connection of {@code factory}. */
    private static String probeBwPhases(CongestionControllerFactory factory) {
        Bbr bbr = (Bbr) factory.create(1000, 0);
        ManualFlights flights = new ManualFlights(bbr, 1000, 0);
        for (int i = 0; i < 5; i++) {
            flights.flight(20, 100_000_000L, 1_000_000L);
        }
        assertThat(bbr.mode()).isEqualTo(Bbr.Mode.PROBE_BW);
        return bbr.cycleIndex() + "/" + bbr.pacingGain();
    }
}
