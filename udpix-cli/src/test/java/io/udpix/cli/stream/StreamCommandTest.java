package io.udpix.cli.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of {@code udpix stream} and of serve's stream options: each names what to write instead. */
class StreamCommandTest {

    @TempDir
    Path dir;

    @Test
    void badUsagesExitTwoAndNameTheFix() {
        assertUsage("--fps 0 is out of range", "--fps", "0");
        assertUsage("give --duration or --frames, not both", "--duration", "1s", "--frames", "3");
        assertUsage("--fec takes auto, off or a percent 1-100", "--fec", "200");
        assertUsage("is not WIDTHxHEIGHT in pixels; write e.g. 1280x720", "--size", "12");
        assertUsage("no such directory; give pattern, screen, -", "--source", dir.resolve("nope").toString());
        assertUsage("--quality 0 is out of range; use 1 (smallest) to 100 (best)", "--quality", "0");
        assertUsage("--latency 20000 ms is out of range; use 1ms to 10s", "--latency", "20s");
        assertUsage("--frames 0 must be at least 1", "--frames", "0");
        assertUsage("give only one of --server-key, --known-servers and --no-known-servers", "--no-known-servers",
                "--server-key", "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertUsage("is out of range for the pattern; use 96x72", "--size", "10x10");
    }

    @Test
    void theScreenSourceOnAMachineWithoutAScreenSaysWhatToUseInstead() {
        assertUsage("--source screen needs a screen", "--source", "screen");
    }

    @Test
    void serveRefusesStreamOptionsItCannotHonour() {
        Cli.Result plain = Cli.run("serve", "--port", "0", "--plain", "--frames-out", dir.toString());
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", plain.err())).contains("apply to native mode only");
        Cli.Result both = Cli.run("serve", "--port", "0", "--no-streams", "--frames-out", dir.toString());
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", both.err())).contains("give one of them");
    }

    private static void assertUsage(String expected, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "stream";
        args[1] = "--to";
        args[2] = "127.0.0.1:9";
        System.arraycopy(options, 0, args, 3, options.length);
        Cli.Result result = Cli.run(args);
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", result.err())).as(result.toString()).contains(expected);
    }
}
