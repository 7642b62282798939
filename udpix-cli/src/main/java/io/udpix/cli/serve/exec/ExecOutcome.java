package io.udpix.cli.serve.exec;

import java.nio.charset.StandardCharsets;

/**
 * How one command run ended: its exit code (or a timeout, or a start failure), the first bytes of its standard
 * output (at most the runner's limit; {@code stdoutDroppedBytes} says how much more there was), the last bytes of
 * its standard error, and how long it took.
 *
 * @param exitCode            the process's exit status; -1 when it timed out or did not start
 * @param timedOut            whether it was killed (with its descendants) at the timeout
 * @param startError          why it could not be started (null when it ran)
 * @param stdout              the first bytes of standard output
 * @param stdoutDroppedBytes  standard output beyond the limit, read and dropped
 * @param stderrTail          the last bytes of standard error, as UTF-8 text
 * @param elapsedNs           from start to exit (or kill)
 */
public record ExecOutcome(int exitCode, boolean timedOut, String startError, byte[] stdout, long stdoutDroppedBytes,
        String stderrTail, long elapsedNs) {

    /** Whether the command ran and exited with status 0. */
    public boolean ok() {
        return startError == null && !timedOut && exitCode == 0;
    }

    /** Whether standard output was cut at the limit. */
    public boolean truncated() {
        return stdoutDroppedBytes > 0;
    }

    /** Standard output as UTF-8 text (malformed bytes replaced). */
    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    /** What went wrong, for an error reply and the log: "exited with code 3", "timed out after 30 s"... */
    public String failure(long timeoutMs) {
        if (startError != null) {
            return "could not start: " + startError;
        }
        if (timedOut) {
            return "timed out after " + (timeoutMs % 1000 == 0 ? timeoutMs / 1000 + " s" : timeoutMs + " ms")
                    + " and was killed";
        }
        return exitCode == 0 ? "exited with code 0" : "exited with code " + exitCode;
    }
}
