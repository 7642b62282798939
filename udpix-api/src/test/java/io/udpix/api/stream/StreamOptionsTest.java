package io.udpix.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.stream.FecMode;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamParams;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StreamOptionsTest {

    @Test
    void defaultsAreJpegAt150MsAnd30FpsWithAutomaticFecAndAdaptiveQualityUpTo85() {
        StreamOptions o = StreamOptions.defaults();
        StreamParams p = o.toParams();
        assertThat(p.codec()).isEqualTo(StreamCodec.JPEG);
        assertThat(p.latencyBudgetNs()).isEqualTo(150_000_000L);
        assertThat(p.fpsHintCenti()).isEqualTo(3000);
        assertThat(p.width()).isZero();
        assertThat(p.fec()).isEqualTo(FecMode.AUTO);
        assertThat(o.quality()).isEqualTo(85);
        assertThat(o.adaptive()).isTrue();
    }

    @Test
    void carriesEveryChoiceIntoTheEnginesParameters() {
        StreamParams p = StreamOptions.builder().codec(StreamCodec.PNG).latency(Duration.ofMillis(80)).fps(59.94)
                .size(1920, 1080).fec(FecMode.percent(20)).name("camera-1").build().toParams();
        assertThat(p).isEqualTo(new StreamParams(StreamCodec.PNG, 80_000_000L, 5994, 1920, 1080, "camera-1",
                FecMode.percent(20)));
    }

    @Test
    void refusesValuesOutsideTheirRangeNamingTheRange() {
        assertThatThrownBy(() -> StreamOptions.builder().latency(Duration.ofSeconds(11)))
                .hasMessageContaining("1 ms to 10 s");
        assertThatThrownBy(() -> StreamOptions.builder().latency(Duration.ZERO)).hasMessageContaining("1 ms to 10 s");
        assertThatThrownBy(() -> StreamOptions.builder().fps(0)).hasMessageContaining("more than 0");
        assertThatThrownBy(() -> StreamOptions.builder().fps(1000)).hasMessageContaining("at most 655");
        assertThatThrownBy(() -> StreamOptions.builder().quality(0)).hasMessageContaining("1 (smallest) to 100");
        assertThatThrownBy(() -> StreamOptions.builder().size(0, 720)).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> StreamOptions.builder().name("x".repeat(256))).hasMessageContaining("255");
    }
}
