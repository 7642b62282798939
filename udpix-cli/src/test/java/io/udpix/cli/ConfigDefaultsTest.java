package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Option defaults from udpix.properties and UDPIX_* variables: the command line wins over the environment, which
 * wins over the file, which wins over the built-in default; bad files and unknown keys are named with their line.
 */
class ConfigDefaultsTest {

    @TempDir
    Path dir;

    /** A command with the shapes the real ones use: a required option, a default, a flag, a mixin. */
    @Command(name = "serve")
    static final class Toy implements Runnable {
        @Option(names = {"-p", "--port"}, required = true)
        int port;
        @Option(names = "--connect-timeout", defaultValue = "10s")
        String connectTimeout;
        @Option(names = "--quiet")
        boolean quiet;
        @Mixin
        DriverOption driver;

        @Override
        public void run() {
        }
    }

    private Toy parse(Map<String, String> env, String fileText, String... args) throws Exception {
        Path file = dir.resolve(ConfigDefaults.FILE_NAME);
        if (fileText != null) {
            Files.writeString(file, fileText);
        } else {
            Files.deleteIfExists(file);
        }
        Toy toy = new Toy();
        CommandLine top = new CommandLine(new UdpixCommand(System.out, System.err));
        top.addSubcommand("serve", toy);
        List<String> warnings = ConfigDefaults.load(file, env).install(top, Set.of("serve", "send"));
        assertThat(warnings).isEmpty();
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        top.parseArgs(all);
        return toy;
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheBuiltIn() throws Exception {
        String file = "serve.port = 9000\nserve.connect-timeout = 3s\nserve.driver = nio\n";
        Map<String, String> env = Map.of("UDPIX_SERVE_PORT", "9100", "UDPIX_SERVE_DRIVER", "epoll");

        // --port is required: a default from the environment or the file satisfies it, as one on the command line does.
        Toy fromCommandLine = parse(env, file, "--port", "9200");
        assertThat(fromCommandLine.port).isEqualTo(9200);

        Toy fromEnv = parse(env, file);
        assertThat(fromEnv.port).isEqualTo(9100);
        assertThat(fieldOf(fromEnv.driver)).isEqualTo("epoll"); // a mixin's option too

        Toy fromFile = parse(Map.of(), file);
        assertThat(fromFile.port).isEqualTo(9000);
        assertThat(fromFile.connectTimeout).isEqualTo("3s");
        assertThat(fieldOf(fromFile.driver)).isEqualTo("nio");

        Toy builtIn = parse(Map.of(), null, "--port", "1");
        assertThat(builtIn.connectTimeout).isEqualTo("10s");
        assertThat(fieldOf(builtIn.driver)).isEqualTo("auto");
    }

    @Test
    void environmentNamesAreUpperCaseWithUnderscoresForDotsAndDashes() throws Exception {
        Toy toy = parse(Map.of("UDPIX_SERVE_PORT", "7", "UDPIX_SERVE_CONNECT_TIMEOUT", "1s",
                "UDPIX_SERVE_QUIET", "true"), null);

        assertThat(toy.port).isEqualTo(7);
        assertThat(toy.connectTimeout).isEqualTo("1s");
        assertThat(toy.quiet).isTrue();
        assertThat(ConfigDefaults.envName("send.connect-timeout")).isEqualTo("UDPIX_SEND_CONNECT_TIMEOUT");
    }

    @Test
    void commentsBlankLinesAndSpacesAroundTheEqualsSignAreAllowedAndValuesAreTakenAsTheyAre() throws Exception {
        Toy toy = parse(Map.of(), "# my defaults\n! also a comment\n\n  serve.port=9001  \r\n"
                + "serve.connect-timeout =C:\\temp\\x\n");

        assertThat(toy.port).isEqualTo(9001);
        assertThat(toy.connectTimeout).isEqualTo("C:\\temp\\x");
    }

    @Test
    void aLineWithoutAnEqualsSignIsAnErrorNamingTheFileAndLine() throws Exception {
        Path file = Files.writeString(dir.resolve("udpix.properties"), "serve.port = 1\n\nserve.port 9000\n");

        assertThatThrownBy(() -> ConfigDefaults.load(file, Map.of()))
                .isInstanceOf(ConfigDefaults.Malformed.class)
                .hasMessage(file + " line 3: expected COMMAND.OPTION = VALUE (such as serve.port = 9000), got "
                        + "'serve.port 9000'");
    }

    @Test
    void aKeyWithoutACommandOrWithCapitalsOrGivenTwiceIsAnError() throws Exception {
        Path file = dir.resolve("udpix.properties");
        Files.writeString(file, "port = 9000\n");
        assertThatThrownBy(() -> ConfigDefaults.load(file, Map.of()))
                .hasMessageStartingWith(file + " line 1: 'port' is not a key; write COMMAND.OPTION");
        Files.writeString(file, "Serve.Port = 9000\n");
        assertThatThrownBy(() -> ConfigDefaults.load(file, Map.of()))
                .hasMessageStartingWith(file + " line 1: 'Serve.Port' is not a key");
        Files.writeString(file, "serve.port = 1\n# x\nserve.port = 2\n");
        assertThatThrownBy(() -> ConfigDefaults.load(file, Map.of()))
                .hasMessage(file + " line 3: serve.port is already set on line 1; keep one of them");
    }

    @Test
    void aFileThatIsNotUtf8IsAnError() throws Exception {
        Path file = Files.write(dir.resolve("udpix.properties"), new byte[] {'s', '.', 'p', '=', (byte) 0xff});

        assertThatThrownBy(() -> ConfigDefaults.load(file, Map.of()))
                .hasMessage(file + ": not UTF-8 text; save it as UTF-8");
    }

    @Test
    void unknownOptionsAndCommandsAreWarningsNamingTheLineOrVariable() throws Exception {
        Path file = Files.writeString(dir.resolve("udpix.properties"),
                "serve.prot = 9000\nsrve.port = 9000\nsend.bogus = 1\n", StandardCharsets.UTF_8);
        CommandLine top = new CommandLine(new UdpixCommand(System.out, System.err));
        top.addSubcommand("serve", new Toy());

        List<String> warnings = ConfigDefaults.load(file, Map.of("UDPIX_SERVE_PROT", "1", "UDPIX_CDS", "0"))
                .install(top, new java.util.LinkedHashSet<>(List.of("serve", "send")));

        // send was not built in this run (only the command a run names is): its keys are checked when it runs.
        assertThat(warnings).containsExactly(
                file + " line 1: 'udpix serve' has no option --prot (ignored); see 'udpix serve --help'",
                file + " line 2: 'srve' is not a udpix command (ignored); keys are COMMAND.OPTION, COMMAND one of "
                        + "serve, send",
                "environment variable UDPIX_SERVE_PROT names no option of 'udpix serve' (ignored); see "
                        + "'udpix serve --help'");
    }

    @Test
    void theRealCommandShowsTheConfiguredDefaultInItsHelp() throws Exception {
        Files.writeString(dir.resolve("udpix.properties"), "send.connect-timeout = 4s\n");
        LineCollector out = new LineCollector();
        LineCollector err = new LineCollector();

        int exitCode = TestConfigDir.with(dir, () -> Main.run(new String[] {"send", "--help"},
                java.io.InputStream.nullInputStream(), out.printStream(), err.printStream(),
                Map.of("UDPIX_SEND_RETRY", "3")));

        String help = out.text().replaceAll("\\s+", " ");
        assertThat(exitCode).as(err.text()).isZero();
        assertThat(help).contains("How long to wait for the server to answer. Default: 4s.");
        assertThat(help).contains("Default: 3 (report the refusal)");
    }

    @Test
    void theRealCommandRefusesToRunWithABadFileAndSaysWhereItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("udpix.properties"), "send.to\n");
        LineCollector out = new LineCollector();
        LineCollector err = new LineCollector();

        int exitCode = TestConfigDir.with(dir, () -> Main.run(new String[] {"send", "x.txt"},
                java.io.InputStream.nullInputStream(), out.printStream(), err.printStream(), Map.of()));

        assertThat(exitCode).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(err.text().strip()).isEqualTo("udpix: " + file
                + " line 1: expected COMMAND.OPTION = VALUE (such as serve.port = 9000), got 'send.to'");
    }

    @Test
    void topLevelHelpDocumentsTheFileAndTheVariables() {
        Cli.Result result = Cli.run("--help");

        String help = result.outText().replaceAll("\\s+", " ");
        assertThat(help).contains("UDPIX_COMMAND_OPTION (UDPIX_SERVE_PORT=9000", "CONFIG/udpix.properties",
                "COMMAND.OPTION = VALUE");
    }

    private static String fieldOf(DriverOption option) throws Exception {
        var field = DriverOption.class.getDeclaredField("name");
        field.setAccessible(true);
        return (String) field.get(option);
    }
}
