package io.udpix.cli.serve.exec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code serve --exec} runs for one item. Without a shell (the default) the command line is split once by
 * {@link ArgvSplitter} and every {@code {}} inside an argument is replaced by the item's absolute path, so a
 * sender's name ({@code ;}, {@code $(...)}, spaces, quotes) is one argument and never interpreted. With
 * {@code --exec-shell} the line runs as {@code sh -c LINE udpix-exec PATH}: {@code {}} becomes {@code "$1"}, so
 * the shell sees the path only as the value of {@code $1}, never as shell text.
 */
public final class ExecCommand {
    /** Stands for the item's path in the command line. */
    public static final String PLACEHOLDER = "{}";

    private final String line;
    private final boolean shell;
    private final List<String> template;

    private ExecCommand(String line, boolean shell, List<String> template) {
        this.line = line;
        this.shell = shell;
        this.template = template;
    }

    /**
     * The command of {@code line}, run through {@code sh -c} when {@code shell}.
     *
     * @throws IllegalArgumentException when the line cannot be split (see {@link ArgvSplitter#split})
     */
    public static ExecCommand parse(String line, boolean shell) {
        if (shell) {
            if (line.isBlank()) {
                throw new IllegalArgumentException("the command is empty; give one, e.g. --exec 'wc -c {}'");
            }
            return new ExecCommand(line, true, List.of("sh", "-c", line.replace(PLACEHOLDER, "\"$1\""),
                    "udpix-exec"));
        }
        return new ExecCommand(line, false, List.copyOf(ArgvSplitter.split(line)));
    }

    /** The arguments for the item at {@code file}. */
    public List<String> argv(Path file) {
        String path = file.toAbsolutePath().toString();
        List<String> argv = new ArrayList<>(template.size() + 1);
        if (shell) {
            argv.addAll(template);
            argv.add(path);
            return argv;
        }
        for (String arg : template) {
            argv.add(arg.replace(PLACEHOLDER, path));
        }
        return argv;
    }

    /** Whether it runs through {@code sh -c}. */
    public boolean shell() {
        return shell;
    }

    @Override
    public String toString() {
        return shell ? "sh -c '" + line + "'" : String.join(" ", template);
    }
}
