package io.udpix.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

/** Runs {@code udpix} in-process, as a user would from a shell, and keeps what it printed. */
public final class Cli {

    private Cli() {
    }

    /** What one run printed and returned. */
    public record Result(int exitCode, List<String> out, List<String> err) {

        /**
         * Stderr without the line trust on first use adds when a send meets a server new to known_servers
         * ("udpix: trusting new server ..."): every test server on a fresh port is one.
         */
        public List<String> errWithoutTrustNotice() {
            return err.stream().filter(line -> !line.startsWith("udpix: trusting new server ")).toList();
        }

        /** Everything printed to stdout. */
        public String outText() {
            return String.join("\n", out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + String.join("\n", out) + "\nstderr:\n" + String.join("\n", err);
        }
    }

    /** {@code udpix ARGS} with empty standard input. */
    public static Result run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    /** {@code udpix ARGS} reading {@code in}. */
    public static Result run(InputStream in, String... args) {
        LineCollector out = new LineCollector();
        LineCollector err = new LineCollector();
        int exitCode = Main.run(args, in, out.printStream(), err.printStream());
        return new Result(exitCode, lines(out), lines(err));
    }

    /** The lines, with an unfinished last line as a line too. */
    static List<String> lines(LineCollector collector) {
        String text = collector.text();
        if (text.isEmpty()) {
            return List.of();
        }
        return List.of((text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).split("\n", -1));
    }
}
