package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ScenarioRandomTest {
    private static final int SEEDS = 10_000;

    @Test
    void everyScenarioOverTenThousandSeedsIsWithinTheDocumentedRanges() {
        long base = Seeds.seedOrRandom();
        int empty = 0;
        int max = 0;
        int cuts = 0;
        int bursty = 0;
        int blackouts = 0;
        int unlimitedQueues = 0;
        for (int i = 0; i < SEEDS; i++) {
            long seed = base + i;
            Scenario s = ScenarioRandom.generate(seed);
            java.util.function.Supplier<String> why = () -> s + " from base " + Seeds.describe(base);
            assertThat(s.seed()).isEqualTo(seed);
            assertThat(s.payloadBytes()).as(why).isBetween(0, ScenarioRandom.MAX_PAYLOAD_BYTES);
            assertThat(s.rttNs()).as(why).isBetween(0L, ScenarioRandom.MAX_RTT_NS);
            for (LinkSpec l : new LinkSpec[] {s.clientToServer(), s.serverToClient()}) {
                assertThat(l.rateBitsPerSecond()).as(why).isBetween(ScenarioRandom.MIN_RATE_BITS_PER_SECOND,
                        ScenarioRandom.MAX_RATE_BITS_PER_SECOND);
                assertThat(l.jitterNs()).as(why).isBetween(0L, ScenarioRandom.MAX_JITTER_NS);
                assertThat(l.expectedLossFraction()).as(why).isBetween(0.0, ScenarioRandom.MAX_LOSS + 1e-9);
                assertThat(l.reorderProbability()).as(why).isBetween(0.0, ScenarioRandom.MAX_REORDER);
                assertThat(l.reorderExtraDelayNs()).as(why).isBetween(0L, ScenarioRandom.MAX_REORDER_EXTRA_DELAY_NS);
                assertThat(l.duplicateProbability()).as(why).isBetween(0.0, ScenarioRandom.MAX_DUPLICATE);
                assertThat(l.corruptProbability()).as(why).isBetween(0.0, ScenarioRandom.MAX_CORRUPT);
                assertThat(l.mtuBytes()).as(why).isBetween(ScenarioRandom.MIN_MTU_BYTES, ScenarioRandom.MAX_MTU_BYTES);
                assertThat(l.overheadBytes()).isEqualTo(LinkSpec.IPV4_UDP_OVERHEAD_BYTES);
                if (l.queueBytes() == 0) {
                    unlimitedQueues++;
                } else {
                    assertThat(l.queueBytes()).as(() -> "the largest datagram fits; " + why.get())
                            .isGreaterThanOrEqualTo(l.maxPayloadBytes() + LinkSpec.IPV4_UDP_OVERHEAD_BYTES);
                    double bdp = l.rateBitsPerSecond() / 8.0 * Math.max(s.rttNs(), 1_000_000L) / 1e9;
                    assertThat((double) l.queueBytes()).as(why).isLessThanOrEqualTo(
                            Math.max(bdp * ScenarioRandom.MAX_QUEUE_BDP_FACTOR, l.mtuBytes()));
                }
                long healingNs = 0;
                int permanent = 0;
                for (Blackout b : l.blackouts()) {
                    if (b.isPermanent()) {
                        permanent++;
                        assertThat(b.startNs()).as(why).isBetween(0L, ScenarioRandom.MAX_CUT_START_NS);
                    } else {
                        healingNs += b.durationNs();
                        assertThat(b.startNs()).as(why).isBetween(0L, ScenarioRandom.MAX_BLACKOUT_START_NS);
                    }
                }
                assertThat(healingNs).as(why).isLessThanOrEqualTo(ScenarioRandom.MAX_BLACKOUT_TOTAL_NS);
                assertThat(permanent).as(why).isLessThanOrEqualTo(1);
                bursty += l.hasBurstLoss() ? 1 : 0;
                blackouts += healingNs > 0 ? 1 : 0;
            }
            empty += s.payloadBytes() == 0 ? 1 : 0;
            max += s.payloadBytes() == ScenarioRandom.MAX_PAYLOAD_BYTES ? 1 : 0;
            cuts += s.hasPermanentCut() ? 1 : 0;
        }
        String base10k = "over " + SEEDS + " seeds from " + Seeds.describe(base);
        assertThat(empty).as(base10k).isBetween(500, 1_200);
        assertThat(max).as(base10k).isBetween(100, 400);
        assertThat(cuts).as(base10k).isBetween(150, 450);
        assertThat(bursty).as(base10k).isBetween(2_000, 4_000);
        assertThat(blackouts).as(base10k).isBetween(3_000, 7_000);
        assertThat(unlimitedQueues).as(base10k).isBetween(3_000, 7_000);
    }

    @Test
    void theSameSeedGivesTheSameScenario() {
        long seed = Seeds.seedOrRandom();
        assertThat(ScenarioRandom.generate(seed)).as(Seeds.describe(seed)).isEqualTo(ScenarioRandom.generate(seed));
        assertThat(ScenarioRandom.generate(seed).toString()).contains("seed=" + seed);
    }

    @Test
    void payloadsClusterAroundMultiplesOfADatagramPayload() {
        int nearMultiple = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Scenario s = ScenarioRandom.generate(seed);
            int unit = s.clientToServer().maxPayloadBytes();
            int p = s.payloadBytes();
            int r = p % unit;
            if (p >= unit && (r <= 1 || r == unit - 1)) {
                nearMultiple++;
            }
        }
        assertThat(nearMultiple).isGreaterThan(400);
    }

    @Test
    void toStringListsBothDirectionsAndTheCut() {
        for (long seed = 0; seed < 2_000; seed++) {
            Scenario s = ScenarioRandom.generate(seed);
            if (s.hasPermanentCut()) {
                assertThat(s.toString()).contains("permanent cut", "clientToServer=LinkSpec{",
                        "serverToClient=LinkSpec{", "forever", "payloadBytes=" + s.payloadBytes());
                return;
            }
        }
        throw new AssertionError("no scenario with a permanent cut among 2,000 seeds");
    }
}
