package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * The receiver's clock offset (docs/PROTOCOL.md section 5.8.3): min(arrival - sender time) - minRtt/2 puts a
 * frame's capture where it was on a symmetric path, also on a server that only receives (it sends nothing
 * ack-eliciting, so its RTT comes from the handshake).
 */
class StreamClockTest {
    static final long MS = 1_000_000L;

    @Test
    void aReceivingServerPlacesCaptureTimesWithinAMillisecondOnASymmetricPath() {
        long seed = Long.getLong(Seeds.PROPERTY, 11L);
        LinkSpec path = LinkSpec.builder().rateBitsPerSecond(100_000_000L).delayNs(50 * MS).mtuBytes(1500).build();
        StreamParams params = new StreamParams(StreamCodec.OTHER, 300 * MS, 3000, 0, 0, "clock", FecMode.OFF);
        SimStream run = new SimStream(seed, path, path, params, 30, 1_000_000_000L / 30, 5_000, 10_000, MS);
        run.start();
        RunResult r = run.run(30_000_000_000L);
        String context = Seeds.describe(seed) + " run=" + r + "\n  " + run.describe() + "\n  capture error "
                + run.minCaptureErrorNs + ".." + run.maxCaptureErrorNs + " ns";
        assertThat(run.ended()).as(context).isTrue();
        assertThat(run.delivered).as(context).isEqualTo(30);
        assertThat(run.violations).as(context).isEmpty();
        // Without the handshake RTT the offset is the whole one-way delay: every capture 50 ms late.
        assertThat(run.maxCaptureErrorNs).as(context).isLessThanOrEqualTo(MS);
        assertThat(run.minCaptureErrorNs).as(context).isGreaterThanOrEqualTo(-MS);
    }
}
