package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Subcommands are added by name, and a run builds only what its arguments can reach. */
class UdpixCommandTest {

    @Test
    void eachSubcommandIsListedUnderItsOwnCommandName() {
        for (Map.Entry<String, Class<?>> entry : UdpixCommand.SUBCOMMANDS.entrySet()) {
            assertThat(entry.getValue().getAnnotation(Command.class).name()).as(entry.getValue().getName())
                    .isEqualTo(entry.getKey());
        }
        assertThat(UdpixCommand.SUBCOMMANDS).containsKeys("demo", "serve", "send", "stream", "keygen", "help");
    }

    @Test
    void aRunNamingACommandBuildsOnlyThatOneAndABareVersionNone() {
        assertThat(built("send", "cat.jpg", "--to", "127.0.0.1:9000")).containsExactly("send");
        assertThat(built("serve", "--port", "9000")).containsExactly("serve");
        assertThat(built("--version")).isEmpty();
    }

    @Test
    void helpUsageErrorsAndNoCommandBuildEveryCommand() {
        assertThat(built("help", "send")).containsExactlyElementsOf(UdpixCommand.SUBCOMMANDS.keySet());
        assertThat(built("--help")).containsExactlyElementsOf(UdpixCommand.SUBCOMMANDS.keySet());
        assertThat(built("sned")).containsExactlyElementsOf(UdpixCommand.SUBCOMMANDS.keySet());
        assertThat(built()).containsExactlyElementsOf(UdpixCommand.SUBCOMMANDS.keySet());
    }

    @Test
    void aLazilyAddedCommandStillInheritsVersionAndTheExitCodeList() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        assertThat(Main.run(new String[] {"send", "--version"}, print, print)).isZero();
        assertThat(Main.run(new String[] {"send", "--help"}, print, print)).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("udpix 0.").contains("Exit codes:")
                .contains("--to=HOST:PORT");
    }

    private static java.util.Set<String> built(String... args) {
        CommandLine commandLine = new CommandLine(new UdpixCommand(System.out, System.err));
        UdpixCommand.addSubcommands(commandLine, args);
        return commandLine.getSubcommands().keySet();
    }
}
