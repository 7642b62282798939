package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.UdpixException;
import io.udpix.cli.convert.HostPort;
import io.udpix.cli.convert.SizeConverter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

class MainTest {

    private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);

    @Test
    void exitsWithTwoAndOneErrorLineForAnUnknownOption() {
        int exitCode = Main.run(new String[] {"--bogus"}, out, err);

        assertThat(exitCode).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines()[0]).startsWith("udpix: Unknown option: '--bogus'").endsWith("(see 'udpix --help')");
        assertThat(outBytes.size()).isZero();
    }

    @Test
    void listsServeSendStreamDemoAndKeygenWithOneShortLineEach() {
        int exitCode = Main.run(new String[] {"--help"}, out, err);

        String help = outBytes.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).isZero();
        // Each summary fits its line: the next line starts the next command.
        assertThat(help).containsPattern("\\n  demo +Try udpix: [^\\n]*\\n  serve +Receive images, JSON and files[^\\n]*"
                + "\\n  send +Send files and JSON[^\\n]*\\n  stream +Stream live image frames[^\\n]*"
                + "\\n  keygen +Make a client or server key[^\\n]*\\n  consume +Show or save what udpix receivers "
                + "published[^\\n]*\\n  help ");
    }

    @Test
    void serveHelpSaysPlainModeCannotDetectLossAndListsTheExitCodes() {
        int exitCode = Main.run(new String[] {"help", "serve"}, out, err);

        String help = outBytes.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
        assertThat(exitCode).isZero();
        assertThat(help).contains("Plain mode cannot detect loss", "--port", "--bind", "--out", "--display",
                "--max-size", "--plain-header", "--plain-reply", "--plain-timeout", "--driver", "--key",
                "--allow-keys", "--allow", "Exit codes:");
    }

    @Test
    void sendHelpNamesEveryOption() {
        int exitCode = Main.run(new String[] {"send", "--help"}, out, err);

        String help = outBytes.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).isZero();
        assertThat(help).contains("--to", "--json", "--repeat", "--interval", "--resize", "--quality", "--plain",
                "--chunk", "--wait-each", "--plain-timeout", "--format", "--quiet", "--server-key",
                "--known-servers", "--no-known-servers", "--key", "Exit codes:", "4   a key was refused");
    }

    @Test
    void reportsAMistypedOptionRatherThanTheRequiredOneItHid() {
        int exitCode = Main.run(new String[] {"serve", "--prot", "9000"}, out, err);

        assertThat(exitCode).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(errLines()).containsExactly("udpix serve: Unknown option: '--prot' (see 'udpix serve --help')");
    }

    @Test
    void suggestsTheOptionMeantOnTheSameLine() {
        int exitCode = Main.run(new String[] {"--verison"}, out, err);

        assertThat(exitCode).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines()[0]).contains("did you mean --version?");
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        int exitCode = Main.run(new String[] {"--help"}, out, err);

        String help = outBytes.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).isZero();
        assertThat(help).contains("Usage: udpix", "Commands:", "help", "Exit codes:")
                .containsPattern("0\\s+ok")
                .containsPattern("1\\s+a transfer failed")
                .containsPattern("2\\s+bad usage")
                .containsPattern("3\\s+cannot bind");
    }

    @Test
    void helpCommandExplainsACommand() {
        assertThat(Main.run(new String[] {"help", "help"}, out, err)).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("Usage: udpix help");
    }

    @Test
    void printsTheVersion() {
        assertThat(Main.run(new String[] {"--version"}, out, err)).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).startsWith("udpix 0.1.0").contains("Java ");
    }

    @Test
    void asksForACommandWhenGivenNone() {
        assertThat(Main.run(new String[0], out, err)).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines()[0]).startsWith("udpix: missing command");
    }

    @Test
    void refusesAnUnknownCommandInOneLine() {
        assertThat(Main.run(new String[] {"fly"}, out, err)).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines()[0]).contains("'fly'");
    }

    @Test
    void subcommandsGetConvertersOutputAndTheInheritedHelp() {
        Probe probe = new Probe();
        int exitCode = run(probe, "probe", "--to", "[::1]:9000", "--interval", "250ms", "--max-size", "10MiB",
                "--format", "json");

        assertThat(exitCode).isZero();
        assertThat(probe.to).isEqualTo(new HostPort("::1", 9000));
        assertThat(probe.interval).isEqualTo(Duration.ofMillis(250));
        assertThat(probe.maxSizeBytes).isEqualTo(10L << 20);
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("\"event\":\"status\"", "probe ran");

        outBytes.reset();
        assertThat(run(new Probe(), "probe", "--help")).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("--to", "--quiet", "Exit codes:");
    }

    @Test
    void badOptionValuesOfSubcommandsGiveTheConvertersMessage() {
        int exitCode = run(new Probe(), "probe", "--to", "localhost");

        assertThat(exitCode).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(errLines()).hasSize(1);
        assertThat(errLines()[0]).startsWith("udpix probe: Invalid value for option '--to'")
                .contains("has no port").endsWith("(see 'udpix probe --help')");
    }

    @Test
    void mapsFailuresToExitCodesWithOneLine() {
        assertThat(run(new Probe(), "probe", "--fail", "transfer")).isEqualTo(ExitCodes.TRANSFER_FAILED);
        assertThat(errLines()).containsExactly("udpix probe: receiver did not confirm cat.jpg; try again");

        errBytes.reset();
        assertThat(run(new Probe(), "probe", "--fail", "bind")).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
        assertThat(errLines()).containsExactly("udpix probe: Address already in use");

        errBytes.reset();
        assertThat(run(new Probe(), "probe", "--fail", "io")).isEqualTo(ExitCodes.TRANSFER_FAILED);
        assertThat(errLines()).hasSize(1);
    }

    @Test
    void reportsAnUnexpectedExceptionAsAnInternalErrorWithItsStackTrace() {
        assertThat(run(new Probe(), "probe", "--fail", "bug")).isEqualTo(ExitCodes.TRANSFER_FAILED);
        assertThat(errLines()[0]).isEqualTo("udpix probe: internal error: java.lang.IllegalStateException: oops");
        assertThat(errLines().length).isGreaterThan(1);
    }

    @Test
    void choosesExitCodesByCause() {
        assertThat(Main.exitCodeFor(CliException.cannotBindOrReach("x", null))).isEqualTo(3);
        assertThat(Main.exitCodeFor(new BindException())).isEqualTo(3);
        assertThat(Main.exitCodeFor(new UnknownHostException("nowhere"))).isEqualTo(3);
        assertThat(Main.exitCodeFor(new IOException())).isEqualTo(1);
        assertThat(Main.exitCodeFor(CliException.badUsage("x"))).isEqualTo(2);
        assertThat(Main.exitCodeFor(new UdpixException(UdpixException.Kind.UNREACHABLE, "x"))).isEqualTo(3);
        assertThat(Main.exitCodeFor(new UdpixException(UdpixException.Kind.TOO_LARGE, "x"))).isEqualTo(1);
    }

    @Test
    void generatesShellCompletion() {
        assertThat(Main.run(new String[] {"generate-completion"}, out, err)).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("udpix");
    }

    private int run(Object subcommand, String... args) {
        CommandLine commandLine = Main.commandLine(out, err, subcommand);
        return commandLine.execute(args);
    }

    private String[] errLines() {
        String text = errBytes.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? new String[0] : text.split("\n");
    }

    /** A subcommand as the real ones will be written, to check the wiring. */
    @Command(name = "probe", description = "Checks the command line wiring.")
    static final class Probe implements Callable<Integer> {
        @ParentCommand
        UdpixCommand parent;

        @Mixin
        OutputOptions output;

        @Option(names = "--to")
        HostPort to;

        @Option(names = "--interval")
        Duration interval;

        @Option(names = "--max-size", converter = SizeConverter.class)
        long maxSizeBytes;

        @Option(names = "--fail")
        String fail;

        @Override
        public Integer call() throws Exception {
            if (fail != null) {
                switch (fail) {
                    case "transfer" -> throw CliException.transferFailed("receiver did not confirm cat.jpg; try again",
                            null);
                    case "bind" -> throw new BindException("Address already in use");
                    case "io" -> throw new IOException("disk full");
                    default -> throw new IllegalStateException("oops");
                }
            }
            output.reporter(parent.out()).status("probe ran");
            return ExitCodes.OK;
        }
    }
}
