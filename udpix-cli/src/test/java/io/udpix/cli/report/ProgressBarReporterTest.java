package io.udpix.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import org.junit.jupiter.api.Test;

class ProgressBarReporterTest {

    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final ByteArrayOutputStream barBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream lineBytes = new ByteArrayOutputStream();
    private final ProgressBarReporter reporter = new ProgressBarReporter(
            new PlainLineReporter(new PrintStream(lineBytes, true, StandardCharsets.UTF_8)),
            nowNs::get, Duration.ofSeconds(1),
            () -> new ConsoleProgressBarConsumer(new PrintStream(barBytes, true, StandardCharsets.UTF_8), 100));

    @Test
    void showsNoBarForAnItemThatEndsWithinASecond() {
        try (ItemProgress progress = reporter.start("image", "quick.png", 1000)) {
            progress.update(500);
            nowNs.addAndGet(900_000_000L);
            progress.update(1000);
        }
        reporter.finished(ItemReport.sent("image", "quick.png", 1000, "h:1", Duration.ofMillis(900)));

        assertThat(barBytes.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(lineBytes.toString(StandardCharsets.UTF_8)).startsWith("sent image quick.png 1000 bytes");
    }

    @Test
    void showsABarOnceAnItemTakesLongerThanASecondThenItsLine() {
        try (ItemProgress progress = reporter.start("file", "slow.bin", 10L << 20)) {
            progress.update(1L << 20);
            nowNs.addAndGet(1_500_000_000L);
            progress.update(3L << 20);
            progress.update(10L << 20);
        }
        reporter.finished(ItemReport.sent("file", "slow.bin", 10L << 20, "h:1", Duration.ofMillis(1500)));

        assertThat(barBytes.toString(StandardCharsets.UTF_8)).contains("file slow.bin").contains("MiB");
        assertThat(lineBytes.toString(StandardCharsets.UTF_8)).startsWith("sent file slow.bin");
    }

    @Test
    void ignoresUpdatesAfterClose() {
        ItemProgress progress = reporter.start("file", "x", 10);
        progress.close();
        nowNs.addAndGet(5_000_000_000L);
        progress.update(5);

        assertThat(barBytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
