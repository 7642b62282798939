package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinkSpecTest {

    @Test
    void thePerfectLinkPrintsAsPerfect() {
        assertThat(LinkSpec.perfect().toString()).isEqualTo("LinkSpec{perfect}");
        assertThat(LinkSpec.perfect().expectedLossFraction()).isZero();
        assertThat(LinkSpec.perfect().maxPayloadBytes()).isEqualTo(65_507);
    }

    @Test
    void toStringPrintsEveryNonDefaultFieldAndNothingElse() {
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(10).delayMillis(25).lossProbability(0.01)
                .burstLoss(0.01, 0.2, 0.9).reorder(0.05, 3_000_000).duplicateProbability(0.02)
                .corruptProbability(0.001).jitterNs(500_000).mtuBytes(1500).queueBytes(60_000)
                .blackout(1_000_000_000, 2_000_000_000).cutFromNs(5_000_000_000L).overheadBytes(0).build();
        assertThat(spec.toString()).contains("rateBitsPerSecond=10000000", "delayNs=25000000 (25 ms)",
                "jitterNs=500000 (500 us)", "lossProbability=0.01",
                "burstLoss(pGoodToBad=0.01, pBadToGood=0.2, lossInBad=0.9)", "reorderProbability=0.05",
                "reorderExtraDelayNs=3000000 (3 ms)", "duplicateProbability=0.02", "corruptProbability=0.001",
                "mtuBytes=1500", "queueBytes=60000", "1000000000, 2000000000", "forever", "overheadBytes=0");
        assertThat(LinkSpec.builder().delayMillis(5).build().toString()).isEqualTo("LinkSpec{delayNs=5000000 (5 ms)}");
    }

    @Test
    void toBuilderRoundTrips() {
        LinkSpec spec = LinkSpec.builder().rateMegabitsPerSecond(3).burstLoss(0.1, 0.5, 1).blackout(1, 2).build();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.toBuilder().mtuBytes(576).build().maxPayloadBytes()).isEqualTo(548);
    }

    @Test
    void invalidValuesAreRejectedWithTheFieldName() {
        assertThatThrownBy(() -> LinkSpec.builder().lossProbability(1.5).build())
                .hasMessageContaining("lossProbability").hasMessageContaining("1.5");
        assertThatThrownBy(() -> LinkSpec.builder().mtuBytes(40).build()).hasMessageContaining("mtuBytes");
        assertThatThrownBy(() -> LinkSpec.builder().delayNs(-1).build()).hasMessageContaining("delayNs");
        assertThatThrownBy(() -> LinkSpec.builder().duplicateProbability(Double.NaN).build())
                .hasMessageContaining("duplicateProbability");
        assertThatThrownBy(() -> LinkSpec.builder().blackout(5, 5).build()).hasMessageContaining("empty");
        assertThatThrownBy(() -> LinkSpec.builder().queueBytes(-1).build()).hasMessageContaining("queueBytes");
    }

    @Test
    void expectedLossCombinesIidAndBurstLoss() {
        LinkSpec spec = LinkSpec.builder().lossProbability(0.1).burstLoss(0.1, 0.4, 0.5).build();
        // bad 20% of the time, half lost there: 10%; with 10% iid: 1 - 0.9 * 0.9 = 19%.
        assertThat(spec.expectedLossFraction()).isCloseTo(0.19, org.assertj.core.data.Offset.offset(1e-12));
    }
}
