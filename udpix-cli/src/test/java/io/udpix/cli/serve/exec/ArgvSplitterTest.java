package io.udpix.cli.serve.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Splitting {@code --exec} lines into arguments without a shell, and placing the item's path. */
class ArgvSplitterTest {

    @Test
    void splitsOnBlanksAndKeepsQuotedTextWhole() {
        assertThat(ArgvSplitter.split("  wc   -c\t{} ")).containsExactly("wc", "-c", "{}");
        assertThat(ArgvSplitter.split("grep 'a b' \"c d\" e\\ f")).containsExactly("grep", "a b", "c d", "e f");
        assertThat(ArgvSplitter.split("tool --name=\"x y\"'z'")).containsExactly("tool", "--name=x yz");
        assertThat(ArgvSplitter.split("echo \"say \\\"hi\\\" \\\\ \\n\"")).containsExactly("echo", "say \"hi\" \\ \\n");
        assertThat(ArgvSplitter.split("echo '' x")).containsExactly("echo", "", "x");
    }

    @Test
    void shellCharactersAreOrdinaryText() {
        assertThat(ArgvSplitter.split("echo $(rm -rf x); ls | wc > out &"))
                .containsExactly("echo", "$(rm", "-rf", "x);", "ls", "|", "wc", ">", "out", "&");
    }

    @Test
    void refusesAnEmptyLineAnUnclosedQuoteAndATrailingBackslash() {
        assertThatThrownBy(() -> ArgvSplitter.split("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ArgvSplitter.split("echo 'x")).hasMessageContaining("unclosed '");
        assertThatThrownBy(() -> ArgvSplitter.split("echo \"x")).hasMessageContaining("unclosed \"");
        assertThatThrownBy(() -> ArgvSplitter.split("echo x\\")).hasMessageContaining("lone backslash");
    }

    @Test
    void thePathReplacesEveryPlaceholderAndStaysOneArgument() {
        Path hostile = Path.of("/data/a b; rm -rf $(whoami) `id`.jpg");
        ExecCommand command = ExecCommand.parse("convert {} --out={}.png", false);
        assertThat(command.argv(hostile)).containsExactly("convert", hostile.toString(),
                "--out=" + hostile + ".png");
    }

    @Test
    void inAShellThePathIsOnlyTheValueOfDollarOne() {
        Path hostile = Path.of("/data/x\"; touch pwned; \".jpg");
        ExecCommand command = ExecCommand.parse("wc -c < {} | tr -d ' '", true);
        assertThat(command.argv(hostile)).containsExactly("sh", "-c", "wc -c < \"$1\" | tr -d ' '", "udpix-exec",
                hostile.toString());
    }
}
