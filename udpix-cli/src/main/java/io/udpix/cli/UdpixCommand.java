package io.udpix.cli;

import io.udpix.cli.demo.DemoCommand;
import io.udpix.cli.keygen.KeygenCommand;
import io.udpix.cli.send.SendCommand;
import io.udpix.cli.stream.StreamCommand;
import io.udpix.cli.serve.ServeCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code udpix} command.
 *
 * <p>To add a subcommand: write a class annotated {@code @Command(name = "serve", description = ...)} that
 * implements {@code Callable<Integer>} (returning an {@link ExitCodes} value or throwing {@link CliException}),
 * list it in {@code subcommands} below, and get the output streams from
 * {@code @ParentCommand UdpixCommand parent} ({@link #out()}, {@link #err()}); {@code --quiet} and
 * {@code --format} come from {@code @Mixin OutputOptions output}. {@code --help}, {@code --version} and the exit
 * code list are inherited ({@code scope = INHERIT}); {@link io.udpix.cli.convert.HostPort} and
 * {@link java.time.Duration} options are converted by {@link Main}'s registered converters; sizes take
 * {@code converter = SizeConverter.class}.
 */
@Command(
        name = "udpix",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        synopsisSubcommandLabel = "COMMAND",
        // No header: with scope INHERIT it would replace the summary of every subcommand in the command list.
        descriptionHeading = "%n",
        description = {
            "Move images, JSON and files over UDP: exact (SHA-256 checked), fast, safe.",
            "",
            "Start with `udpix demo`. A server: `udpix serve --port 9000`; a client: "
                    + "`udpix send cat.jpg --to 127.0.0.1:9000`. `udpix help COMMAND` explains a command.",
        },
        optionListHeading = "%nOptions:%n",
        commandListHeading = "%nCommands:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:a transfer failed (not confirmed by the receiver, timed out or refused)",
            "2:bad usage (unknown option, bad value, missing file)",
            "3:cannot bind (port in use) or cannot reach/resolve the peer",
            "4:a key was refused (the server's key changed or is not the pinned one; or the server does not admit "
                    + "this client)",
        },
        footerHeading = "%n",
        footer = "JAVA_OPTS passes options to the JVM (e.g. JAVA_OPTS=-Dudpix.log=debug ./udpix ...).",
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            SendCommand.class,
            StreamCommand.class,
            KeygenCommand.class,
            HelpCommand.class,
            AutoComplete.GenerateCompletion.class,
        })
public final class UdpixCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    /** A command writing to {@code out} (results) and {@code err} (diagnostics), reading {@code System.in}. */
    public UdpixCommand(PrintStream out, PrintStream err) {
        this(System.in, out, err);
    }

    /** A command reading {@code in} (e.g. {@code send --json -}) and writing to {@code out} and {@code err}. */
    public UdpixCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
    }

    /** Where subcommands read standard input from. */
    public InputStream in() {
        return in;
    }

    /** Where subcommands print results (item lines, JSON lines). */
    public PrintStream out() {
        return out;
    }

    /** Where subcommands print diagnostics and warnings. */
    public PrintStream err() {
        return err;
    }

    /** {@code udpix} alone is a usage error: it names the commands to choose from. */
    @Override
    public Integer call() {
        String commands = spec.subcommands().entrySet().stream()
                .filter(entry -> !entry.getValue().getCommandSpec().usageMessage().hidden())
                .map(entry -> entry.getKey())
                .filter(name -> !name.equals("help"))
                .collect(Collectors.joining(", "));
        throw new ParameterException(spec.commandLine(), "missing command"
                + (commands.isEmpty() ? "" : "; choose one of: " + commands));
    }
}
