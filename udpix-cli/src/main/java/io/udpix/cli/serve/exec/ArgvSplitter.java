package io.udpix.cli.serve.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an {@code --exec} command line into arguments the way a shell would for simple cases, without running a
 * shell: arguments are separated by spaces or tabs; {@code '...'} keeps everything inside literally;
 * {@code "..."} keeps everything inside, where a backslash escapes only {@code "} and {@code \}; outside quotes a
 * backslash escapes the next character. Quotes may join parts of one argument ({@code --name="a b"}). Nothing
 * else is special: no variables, globs, pipes, redirections or {@code ;}.
 */
public final class ArgvSplitter {
    /** Longest command line taken (a bound on what is parsed once at start-up). */
    static final int MAX_CHARS = 8192;

    private ArgvSplitter() {
    }

    /**
     * The arguments of {@code line}.
     *
     * @throws IllegalArgumentException for an empty line, an unclosed quote or a trailing backslash, naming it
     */
    public static List<String> split(String line) {
        if (line.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the command is " + line.length() + " characters long; at most "
                    + MAX_CHARS + " (put a longer one in a script and run that)");
        }
        List<String> args = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArg = false;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                if (inArg) {
                    args.add(current.toString());
                    current.setLength(0);
                    inArg = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed ' at character " + (i + 1) + " of the command");
                }
                current.append(line, i + 1, end);
                inArg = true;
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= line.length()) {
                        throw new IllegalArgumentException("unclosed \" at character " + (i + 1) + " of the command");
                    }
                    char d = line.charAt(j);
                    if (d == '"') {
                        break;
                    }
                    if (d == '\\' && j + 1 < line.length() && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\')) {
                        current.append(line.charAt(j + 1));
                        j += 2;
                    } else {
                        current.append(d);
                        j++;
                    }
                }
                inArg = true;
                i = j + 1;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("the command ends with a lone backslash; remove it or "
                            + "quote it ('\\\\')");
                }
                current.append(line.charAt(i + 1));
                inArg = true;
                i += 2;
            } else {
                current.append(c);
                inArg = true;
                i++;
            }
        }
        if (inArg) {
            args.add(current.toString());
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("the command is empty; give one, e.g. --exec 'wc -c {}'");
        }
        return args;
    }
}
