package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Seeds;
import org.junit.jupiter.api.Test;

/**
 * A stream on a connection whose first ACCEPT was lost (docs/PROTOCOL.md 5.8.3). The server's handshake RTT stands
 * in for the receiver's minimum RTT until a fresh sample comes; measured from the first ACCEPT it would include the
 * client's HELLO timeout (~250 ms), the receiver would subtract half of that from its clock offset, and every frame
 * starting before the first fresh sample would get a deadline ~100 ms early and be dropped as late (seen at 5% loss
 * in StreamEfficiencyTest's seed 7: 4 frames). Measured from the ACCEPT sent again, the sample is the path's RTT.
 */
class StreamAfterALostAcceptTest {
    static final long MS = 1_000_000L;

    @Test
    void framesOfAStreamOpenedAfterALostAcceptGetTheirDeadlinesFromThePathsRtt() {
        long seed = Long.getLong(Seeds.PROPERTY, 11L);
        LinkSpec up = LinkSpec.builder().rateBitsPerSecond(100_000_000L).delayNs(25 * MS).mtuBytes(1500).build();
        // The first ACCEPT leaves the server ~25 ms in: the way back is dark until 40 ms.
        LinkSpec down = up.toBuilder().blackout(0, 40 * MS).build();
        StreamParams params = new StreamParams(StreamCodec.JPEG, 150 * MS, 3000, 640, 480, "after a lost ACCEPT",
                FecMode.AUTO);
        int frames = 30;
        SimStream run = new SimStream(seed, up, down, params, frames, 1_000_000_000L / 30, 20_000, 40_000, 2 * MS);
        run.start();
        run.run(30_000_000_000L);
        String context = Seeds.describe(seed) + "\n  " + run.describe();
        assertThat(run.ended()).as(context).isTrue();
        assertThat(run.links.bToA().stats().droppedBlackout()).as("the first ACCEPT was lost; %s", context)
                .isPositive();
        assertThat(run.violations).as(context).isEmpty();
        assertThat(run.serverEnded.stats().onTime()).as("every frame on time; %s", context).isEqualTo(frames);
        assertThat(run.minCaptureErrorNs).as("the receiver places no capture early; %s", context)
                .isGreaterThanOrEqualTo(-2 * MS);
    }
}
