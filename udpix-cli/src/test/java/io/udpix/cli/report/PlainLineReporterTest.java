package io.udpix.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlainLineReporterTest {

    @Test
    void saysKindNameBytesSenderTimeAndRateOfAReceivedItem() {
        ItemReport report = ItemReport.received("image", "cat.jpg", 2_000_000, "127.0.0.1:50000", 9000,
                Duration.ofMillis(1600)).withSavedAs("received/cat.jpg").withDetail("640x480 jpeg");

        assertThat(PlainLineReporter.format(report)).isEqualTo("received image cat.jpg 2000000 bytes from "
                + "127.0.0.1:50000 on port 9000 in 1.60 s (1.25 MB/s) -> received/cat.jpg; 640x480 jpeg");
    }

    @Test
    void saysWhereASentItemWent() {
        ItemReport report = ItemReport.sent("json", "", 42, "127.0.0.1:9000", Duration.ofNanos(1_234_000));

        assertThat(PlainLineReporter.format(report))
                .isEqualTo("sent json 42 bytes to 127.0.0.1:9000 in 1.2 ms (34.0 kB/s)");
    }

    @Test
    void givesTheReasonOfAFailureAndNoRate() {
        ItemReport report = ItemReport.sendFailed("file", "big.bin", 1, "10.0.0.1:9000", Duration.ofSeconds(125),
                "receiver did not confirm within 30 s\nretry later");

        assertThat(PlainLineReporter.format(report)).isEqualTo("send failed file big.bin 1 byte to 10.0.0.1:9000 "
                + "after 2 min 05 s: receiver did not confirm within 30 s; retry later");
    }

    @Test
    void quotesNamesWithSpacesAndDefusesControlCharacters() {
        ItemReport spaced = ItemReport.received("file", "my \"cat\".jpg", 1, "p", 1, Duration.ZERO);
        ItemReport hostile = ItemReport.received("file", "x\u001B[2Jy\u202E", 1, "p", 1, Duration.ZERO);

        assertThat(PlainLineReporter.format(spaced)).contains(" \"my \\\"cat\\\".jpg\" ");
        assertThat(PlainLineReporter.format(hostile)).contains(" x?[2Jy? ").doesNotContain("\u001B");
        assertThat(PlainLineReporter.format(spaced)).as("no rate without a time").doesNotContain("B/s");
    }

    @Test
    void printsOneLinePerItemAndStatusLinesAsTheyAre() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PlainLineReporter reporter = new PlainLineReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8));

        reporter.status("listening on 127.0.0.1:9000");
        reporter.finished(ItemReport.sent("image", "a.png", 10, "h:1", Duration.ofMillis(1)));
        reporter.finished(ItemReport.sent("image", "b.png", 10, "h:1", Duration.ofMillis(1)));

        assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n", -1)).containsExactly(
                "listening on 127.0.0.1:9000",
                "sent image a.png 10 bytes to h:1 in 1.0 ms (10.0 kB/s)",
                "sent image b.png 10 bytes to h:1 in 1.0 ms (10.0 kB/s)",
                "");
    }

    @Test
    void formatsDurationsAndRatesForPeople() {
        assertThat(Units.duration(Duration.ofNanos(400_000))).isEqualTo("0.4 ms");
        assertThat(Units.duration(Duration.ofMillis(59_999))).isEqualTo("60.00 s");
        assertThat(Units.rate(950)).isEqualTo("950 B/s");
        assertThat(Units.rate(999.6)).isEqualTo("1.00 kB/s");
        assertThat(Units.rate(123_456_789)).isEqualTo("123 MB/s");
        assertThat(Units.rate(12.3e9)).isEqualTo("12.3 GB/s");
    }
}
