package io.udpix.cli;

import io.udpix.cli.consume.ConsumeCommand;
import io.udpix.cli.demo.DemoCommand;
import io.udpix.cli.keygen.KeygenCommand;
import io.udpix.cli.send.SendCommand;
import io.udpix.cli.stream.StreamCommand;
import io.udpix.cli.serve.ServeCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.AutoComplete;
import picocli.CommandLine;
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
 * add it to {@code SUBCOMMANDS} below, and get the output streams from
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
        footer = {
            "Defaults: an option not given on the command line takes its value from the environment variable "
                    + "UDPIX_COMMAND_OPTION (UDPIX_SERVE_PORT=9000, UDPIX_SEND_CONNECT_TIMEOUT=5s), else from a "
                    + "COMMAND.OPTION = VALUE line (serve.port = 9000, send.driver = nio) in CONFIG/udpix.properties, "
                    + "else its built-in default. CONFIG is $UDPIX_CONFIG_DIR, else $XDG_CONFIG_HOME/udpix, else "
                    + "~/.config/udpix.",
            "",
            "JAVA_OPTS passes options to the JVM (e.g. JAVA_OPTS=-Dudpix.log=debug ./udpix ...).",
        })
public final class UdpixCommand implements Callable<Integer> {
    /**
     * The subcommands by name, in the order {@code udpix --help} lists them. Added in code rather than through
     * {@code @Command(subcommands = ...)} so that a run naming one builds only that one's model: picocli reflects
     * over every option of every subcommand it is given, which was the largest step of {@code udpix send}'s
     * start-up once classes came from the class-data archive. Each name must equal its class's
     * {@code @Command(name)} (UdpixCommandTest checks).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

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

    private static Map<String, Class<?>> subcommands() {
        Map<String, Class<?>> all = new LinkedHashMap<>();
        all.put("demo", DemoCommand.class);
        all.put("serve", ServeCommand.class);
        all.put("send", SendCommand.class);
        all.put("stream", StreamCommand.class);
        all.put("keygen", KeygenCommand.class);
        all.put("consume", ConsumeCommand.class);
        all.put("help", HelpCommand.class);
        all.put("generate-completion", AutoComplete.GenerateCompletion.class);
        return Collections.unmodifiableMap(all);
    }

    /**
     * Adds to {@code commandLine} the subcommands a run with {@code args} can reach: only the one named first when
     * {@code args} starts with a subcommand's name (its options and arguments are all its own), none for a bare
     * {@code --version}, otherwise all (help, usage errors and their "did you mean" need every name).
     */
    static void addSubcommands(CommandLine commandLine, String[] args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return;
        }
        Class<?> named = args.length > 0 && !args[0].equals("help") ? SUBCOMMANDS.get(args[0]) : null;
        if (named != null) {
            commandLine.addSubcommand(args[0], named);
            return;
        }
        SUBCOMMANDS.forEach(commandLine::addSubcommand);
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
