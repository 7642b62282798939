package io.udpix.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayLineTest {

    @Test
    void releasesEachDatagramOnlyOnceItsDelayHasPassedInArrivalOrder() {
        List<String> out = new ArrayList<>();
        DelayLine line = new DelayLine(1_000, 1 << 10);
        line.add(datagram("a"), d -> out.add(text(d)), 0);
        line.add(datagram("b"), d -> out.add(text(d)), 500);
        line.releaseDue(999);
        assertThat(out).isEmpty();
        assertThat(line.nanosUntilNext(999)).isEqualTo(1);
        line.releaseDue(1_000);
        assertThat(out).containsExactly("a");
        line.releaseDue(1_500);
        assertThat(out).containsExactly("a", "b");
        assertThat(line.nanosUntilNext(1_500)).isEqualTo(-1);
    }

    @Test
    void dropsAndCountsWhatDoesNotFitThenTakesMoreOnceTheRingWrapsAround() {
        List<String> out = new ArrayList<>();
        DelayLine line = new DelayLine(10, 100);
        String forty = "x".repeat(40);
        line.add(datagram(forty), d -> out.add(text(d)), 0);
        line.add(datagram(forty), d -> out.add(text(d)), 0);
        line.add(datagram(forty), d -> out.add(text(d)), 0); // 120 > 100 bytes: dropped
        assertThat(line.overflows()).isEqualTo(1);
        line.releaseDue(10);
        assertThat(out).hasSize(2);
        // Empty again: the whole ring is free, and a datagram that would cross its end starts at its beginning.
        for (int i = 0; i < 10; i++) {
            line.add(datagram("d" + i + "-" + "y".repeat(30)), d -> out.add(text(d)), 20 + i);
            line.releaseDue(30 + i);
        }
        assertThat(out).hasSize(12);
        assertThat(out.get(11)).startsWith("d9-");
        assertThat(line.overflows()).isEqualTo(1);
    }

    private static ByteBuffer datagram(String text) {
        return ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer d) {
        return java.nio.charset.StandardCharsets.UTF_8.decode(d).toString();
    }
}
