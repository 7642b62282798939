package io.udpix.cli.serve;

import io.udpix.cli.CliException;
import io.udpix.cli.serve.exec.ExecCommand;
import io.udpix.cli.serve.exec.ExecHandler;
import io.udpix.cli.serve.exec.ExecRunner;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --exec CMD [--exec-jobs N] [--exec-timeout DURATION] [--exec-shell]}: {@code serve} runs a command per
 * received item and replies with its standard output (see {@link ExecHandler}, {@link ExecCommand}).
 */
public final class ExecOptions {

    @Option(names = "--exec", paramLabel = "CMD",
            description = "Run CMD for every item received, after it is stored and verified; {} in CMD is the "
                    + "item's path (a JSON message or other in-memory item: a temporary file, deleted after), and "
                    + "the item is also CMD's standard input. CMD is split into arguments without a shell: "
                    + "blanks separate, '...' and \"...\" quote, \\ escapes; the path is always one argument, "
                    + "whatever the sender named it. Standard output (up to 1 MiB) is the reply to a sender that "
                    + "asked for one (send --wait-reply): JSON if it is one JSON document, else text; a nonzero "
                    + "exit or a timeout is an error reply with the end of standard error. Every outcome is "
                    + "printed. Native mode.")
    private String command;

    @Option(names = "--exec-jobs", paramLabel = "N", defaultValue = "2",
            description = "Commands running at once, at most (1 to 64); further items wait. Default: "
                    + "${DEFAULT-VALUE}.")
    private int jobs;

    @Option(names = "--exec-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "A command still running after this is killed with every process it started; the sender "
                    + "gets an error reply. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--exec-shell",
            description = "Run CMD through sh -c (pipes, redirections, variables); {} becomes \"$1\" and the path "
                    + "is passed as $1, so a name is still never shell text.")
    private boolean shell;

    private ExecRunner runner;

    /** Whether {@code --exec} was given. */
    public boolean enabled() {
        return command != null;
    }

    /**
     * Checks the options before anything binds.
     *
     * @throws CliException exit code 2 with the reason and the fix
     */
    public void check(boolean plain) {
        if (command == null) {
            if (shell) {
                throw CliException.badUsage("--exec-shell applies only with --exec CMD; add it or remove "
                        + "--exec-shell");
            }
            return;
        }
        if (plain) {
            throw CliException.badUsage("--exec needs native mode: plain mode has no replies and no verified "
                    + "items; leave out --plain or --exec");
        }
        try {
            runner = new ExecRunner(ExecCommand.parse(command, shell), jobs, timeout,
                    ExecRunner.DEFAULT_MAX_OUTPUT_BYTES);
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage("--exec: " + e.getMessage());
        }
    }

    /** The handler for the server, telling {@code log} every outcome; null without {@code --exec}. */
    ExecHandler handler(Consumer<String> log) {
        return runner == null ? null : new ExecHandler(runner, log);
    }

    /** The status line telling what runs per item; null without {@code --exec}. */
    String describe() {
        return runner == null ? null : "running " + runner.command() + " for every item ({} = its path; at most "
                + runner.jobs() + " at once, killed after " + io.udpix.cli.report.Units.duration(runner.timeout())
                + ")";
    }

    /** Processes at once (the server's request threads match it). */
    int jobs() {
        return jobs;
    }
}
