package io.udpix.cli;

import io.udpix.cli.convert.DurationConverter;
import io.udpix.cli.convert.HostPort;
import io.udpix.cli.convert.HostPortConverter;
import io.udpix.api.UdpixException;
import io.udpix.cli.startup.StartupTrace;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/** Entry point of the {@code udpix} command line. */
public final class Main {

    /** Set by {@link #main}: only then may a command take over process-wide things such as signal handling. */
    private static volatile boolean ownsProcess;

    private Main() {
    }

    /** Runs {@code udpix} and exits with its exit code (see {@link ExitCodes}). */
    public static void main(String[] args) {
        StartupTrace.mark("main");
        ownsProcess = true;
        int status = run(args);
        StartupTrace.mark("exit " + status);
        System.exit(status);
    }

    /**
     * True when {@code udpix} runs as its own process (through {@link #main}), so {@code serve} may handle
     * SIGINT/SIGTERM itself; false when embedded (tests, other programs), where a thread interrupt stops it.
     */
    public static boolean ownsProcess() {
        return ownsProcess;
    }

    /** Runs {@code udpix} on the standard streams; never exits the JVM. */
    public static int run(String... args) {
        return run(args, System.out, System.err);
    }

    /**
     * Runs {@code udpix} with {@code args}, printing to {@code out} and {@code err}; never exits the JVM.
     *
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /**
     * Runs {@code udpix} with {@code args}, reading {@code in} where a command reads standard input
     * ({@code send --json -}); never exits the JVM.
     *
     * @return the exit code (see {@link ExitCodes})
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return run(args, in, out, err, System.getenv());
    }

    /**
     * As {@link #run(String[], InputStream, PrintStream, PrintStream)} with {@code env} as the environment (for
     * tests): option defaults from {@code UDPIX_*} variables and the config file ({@link ConfigDefaults}).
     */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        CommandLine commandLine = new CommandLine(new UdpixCommand(in, out, err));
        UdpixCommand.addSubcommands(commandLine, args);
        configure(commandLine);
        Path configFile = ConfigDir.resolve(System::getProperty, env::get).resolve(ConfigDefaults.FILE_NAME);
        try {
            ConfigDefaults defaults = ConfigDefaults.load(configFile, env);
            for (String warning : defaults.install(commandLine, UdpixCommand.SUBCOMMANDS.keySet())) {
                err.println("udpix: warning: " + warning);
            }
        } catch (ConfigDefaults.Malformed e) {
            err.println("udpix: " + e.getMessage());
            err.flush();
            return ExitCodes.BAD_USAGE;
        }
        StartupTrace.mark("command line built");
        try {
            return commandLine.execute(args);
        } finally {
            commandLine.getOut().flush();
            commandLine.getErr().flush();
            out.flush();
            err.flush();
        }
    }

    /**
     * The configured command line: converters, one-line error messages, exit codes. {@code extraSubcommands}
     * (objects annotated with {@code @Command}) are added before the converters are registered, so they get them
     * too; the usual way to add a subcommand is still {@link UdpixCommand}'s {@code SUBCOMMANDS}.
     */
    public static CommandLine commandLine(PrintStream out, PrintStream err, Object... extraSubcommands) {
        CommandLine commandLine = new CommandLine(new UdpixCommand(out, err));
        UdpixCommand.SUBCOMMANDS.forEach(commandLine::addSubcommand);
        for (Object subcommand : extraSubcommands) {
            commandLine.addSubcommand(subcommand);
        }
        return configure(commandLine);
    }

    private static CommandLine configure(CommandLine commandLine) {
        UdpixCommand top = commandLine.getCommand();
        commandLine.setOut(writer(top.out()));
        commandLine.setErr(writer(top.err()));
        // Registered after the annotated subcommands exist, so they apply to all of them.
        commandLine.registerConverter(HostPort.class, new HostPortConverter());
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(Main::handleUsageError);
        commandLine.setExecutionExceptionHandler(Main::handleFailure);
        return commandLine;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(stream, true);
    }

    /** One line: what is wrong and where to look, e.g. {@code udpix: Unknown option: '--prot' (see ...)}. */
    private static int handleUsageError(ParameterException given, String[] args) {
        ParameterException e = given;
        CommandLine command = e.getCommandLine();
        // "Missing required option --port" hides the real mistake when the user typed "--prot": say that instead.
        if (e instanceof MissingParameterException && !command.getUnmatchedArguments().isEmpty()) {
            List<String> unmatched = command.getUnmatchedArguments();
            // The first unknown option alone gets picocli's "did you mean" (its value would only add noise).
            e = new UnmatchedArgumentException(command, unmatched.get(0).startsWith("-")
                    ? unmatched.subList(0, 1) : unmatched);
        }
        CommandSpec spec = command.getCommandSpec();
        StringBuilder line = new StringBuilder(spec.qualifiedName()).append(": ").append(oneLine(e.getMessage()));
        if (e instanceof UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ").append(String.join(" or ", suggestions.subList(0,
                        Math.min(3, suggestions.size())))).append('?');
            }
        }
        line.append(" (see '").append(spec.qualifiedName()).append(" --help')");
        command.getErr().println(line);
        return spec.exitCodeOnInvalidInput();
    }

    /** One line naming the failure; a stack trace only for what looks like a bug rather than a condition. */
    private static int handleFailure(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + oneLine(describe(e)));
        int exitCode = exitCodeFor(e);
        if (!(e instanceof CliException) && !(e instanceof IOException)) {
            e.printStackTrace(err);
        }
        return exitCode;
    }

    /** The exit code for an exception a subcommand let escape. */
    static int exitCodeFor(Throwable e) {
        if (e instanceof CliException cli) {
            return cli.exitCode();
        }
        if (e instanceof UdpixException udpix) {
            return udpix.kind().exitCode();
        }
        if (e instanceof BindException || e instanceof ConnectException || e instanceof NoRouteToHostException
                || e instanceof PortUnreachableException || e instanceof UnknownHostException) {
            return ExitCodes.CANNOT_BIND_OR_REACH;
        }
        return ExitCodes.TRANSFER_FAILED;
    }

    private static String describe(Exception e) {
        if (e instanceof UnknownHostException) {
            return "cannot resolve host '" + e.getMessage() + "'; check the name or use an IP address";
        }
        if (e instanceof CliException || e.getMessage() == null) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return e instanceof IOException ? e.getMessage() : "internal error: " + e;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replaceAll("\\s*[\\r\\n]+\\s*", "; ");
    }
}
