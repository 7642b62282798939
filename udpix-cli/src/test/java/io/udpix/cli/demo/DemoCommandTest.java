package io.udpix.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.Cli;
import io.udpix.cli.CliProcess;
import io.udpix.cli.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix demo}: the README's first command. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DemoCommandTest {

    @TempDir
    Path temp;

    @Test
    void exitsZeroOnAMachineWithoutADisplayAndSaysEverythingArrived() throws Exception {
        try (CliProcess demo = CliProcess.start(temp, List.of("-Djava.awt.headless=true", "-Xmx256m"), "demo")) {
            assertThat(demo.awaitExit(Duration.ofSeconds(90))).as(demo.transcript()).isZero();
            assertThat(demo.out().lines()).as(demo.transcript())
                    .anySatisfy(line -> assertThat(line).startsWith("all 6 items arrived intact"));
        }
    }

    @Test
    void keepsWhatArrivedInTheGivenDirectoryIntactDespiteTheRelaysLosses() throws Exception {
        long seed = TestSeeds.seed(12);
        Path out = temp.resolve("demo");

        Cli.Result result = Cli.run("demo", "--no-viewer", "--images", "3", "--loss", "20", "--seed",
                Long.toString(seed), "--out", out.toString());

        assertThat(result.exitCode()).as("seed=" + seed + " " + result).isZero();
        assertThat(result.out()).filteredOn(line -> line.startsWith("received ")).hasSize(5);
        assertThat(result.outText()).contains("dropped ");
        assertThat(out.resolve("demo-1.png")).exists();
        assertThat(out.resolve("demo-2.jpg")).exists();
        assertThat(out.resolve("demo-3.png")).exists();
        assertThat(Files.readAllBytes(out.resolve("demo-data.bin")))
                .as("seed=" + seed).isEqualTo(DemoContent.file(seed, 2 << 20));
        assertThat(Files.readAllLines(out.resolve("messages.jsonl"))).hasSize(1);
    }

    @Test
    void streamsALiveTestPatternThroughTheDelayedLossyRelayAndReportsTheShareShownOnTime() {
        long seed = TestSeeds.seed(13);
        Cli.Result result = Cli.run("demo", "--no-viewer", "--images", "1", "--loss", "2", "--delay", "10ms",
                "--stream", "2s", "--seed", Long.toString(seed));

        assertThat(result.exitCode()).as("seed=" + seed + " " + result).isZero();
        String line = result.out().stream().filter(l -> l.startsWith("the live stream: ")).findFirst()
                .orElseThrow(() -> new AssertionError("no stream summary; seed=" + seed + " " + result));
        java.util.regex.Matcher share = java.util.regex.Pattern.compile("on time \\((\\d+)%\\)").matcher(line);
        assertThat(share.find()).as(line).isTrue();
        // 2% loss, a 20 ms round trip, a 150 ms budget: repairs arrive in time for nearly every frame.
        assertThat(Integer.parseInt(share.group(1))).as("seed=" + seed + " " + line).isGreaterThanOrEqualTo(90);
    }
}
