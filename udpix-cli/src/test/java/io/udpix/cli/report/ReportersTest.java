package io.udpix.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReportersTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @Test
    void quietPrintsNothingWhateverTheFormat() {
        ItemReporter reporter = Reporters.create(ReportFormat.JSON, true, out, true);
        reporter.status("listening");
        reporter.finished(ItemReport.sent("json", "", 1, "h:1", Duration.ofMillis(1)));

        assertThat(bytes.size()).isZero();
    }

    @Test
    void jsonNeverGetsProgressBarsEvenOnATerminal() {
        assertThat(Reporters.create(ReportFormat.JSON, false, out, true)).isInstanceOf(JsonLineReporter.class);
    }

    @Test
    void plainGetsProgressBarsOnlyOnATerminal() {
        assertThat(Reporters.create(ReportFormat.PLAIN, false, out, true)).isInstanceOf(ProgressBarReporter.class);
        assertThat(Reporters.create(ReportFormat.PLAIN, false, out, false)).isInstanceOf(PlainLineReporter.class);
    }

    @Test
    void testsAreNotRunOnATerminal() {
        // Surefire pipes the test JVM's output, so there is no console.
        assertThat(Reporters.onTerminal()).isFalse();
    }
}
