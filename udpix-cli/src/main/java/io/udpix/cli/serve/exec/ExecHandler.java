package io.udpix.cli.serve.exec;

import io.udpix.api.ItemHandler;
import io.udpix.api.ReceivedItem;
import io.udpix.api.Reply;
import io.udpix.api.store.MessageLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code serve --exec}'s handler: runs the command for every received item and turns its outcome into the reply
 * (sent only when the sender asked for one). Standard output becomes a JSON reply when it is one JSON document,
 * else a text reply (cut at the runner's limit, with a last line saying so); a nonzero exit, a timeout or a start
 * failure becomes an error reply naming it with the end of standard error. Every outcome is logged through
 * {@code log}, whether or not a reply was asked for.
 *
 * <p>An item kept only in memory (a JSON message, logged to messages.jsonl) is written to a temporary file
 * ({@code udpix-exec-*}, owner-only, deleted after the run) so the command gets a path all the same.
 */
public final class ExecHandler implements ItemHandler {
    /** Of standard output, the log line shows at most this much. */
    static final int LOGGED_OUTPUT_CHARS = 1024;
    /** Of standard error, an error reply shows at most this much (a reply's error message is 255 bytes). */
    static final int ERROR_STDERR_CHARS = 160;

    private final ExecRunner runner;
    private final Consumer<String> log;

    /** A handler running {@code runner}'s command, telling {@code log} each outcome. */
    public ExecHandler(ExecRunner runner, Consumer<String> log) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.log = Objects.requireNonNull(log, "log");
    }

    @Override
    public Reply handle(ReceivedItem item) throws Exception {
        Path temporary = null;
        Path file;
        if (item.savedPath().isPresent()) {
            file = item.savedPath().get();
        } else {
            temporary = Files.createTempFile("udpix-exec-", suffix(item));
            Files.write(temporary, item.readAllBytes());
            file = temporary;
        }
        ExecOutcome outcome;
        try {
            outcome = runner.run(file);
        } finally {
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
        long timeoutMs = runner.timeout().toMillis();
        String what = "exec '" + item.name() + "': ";
        long ms = outcome.elapsedNs() / 1_000_000;
        if (!outcome.ok()) {
            String stderr = outcome.stderrTail().strip();
            log.accept(what + outcome.failure(timeoutMs) + " (" + ms + " ms)"
                    + (stderr.isEmpty() ? "" : "; stderr: " + tail(stderr, ExecRunner.STDERR_TAIL_BYTES))
                    + outputNote(outcome));
            return Reply.error("the command " + outcome.failure(timeoutMs)
                    + (stderr.isEmpty() ? "" : ": " + tail(stderr, ERROR_STDERR_CHARS)));
        }
        log.accept(what + "exited with code 0 (" + ms + " ms)" + outputNote(outcome));
        return replyOf(outcome);
    }

    /** Standard output as the reply: JSON when it is one document, else text; empty: no content. */
    static Reply replyOf(ExecOutcome outcome) {
        if (outcome.stdout().length == 0) {
            return Reply.none();
        }
        if (!outcome.truncated() && MessageLog.validateJson(outcome.stdout()) == null) {
            return Reply.json(outcome.stdoutText());
        }
        String text = outcome.stdoutText();
        if (outcome.truncated()) {
            text += "\n[udpix: output truncated at " + outcome.stdout().length + " bytes; "
                    + outcome.stdoutDroppedBytes() + " more bytes dropped]\n";
        }
        return Reply.text(text);
    }

    private static String outputNote(ExecOutcome outcome) {
        if (outcome.stdout().length == 0) {
            return "; no output";
        }
        String text = outcome.stdoutText().strip();
        String shown = text.length() > LOGGED_OUTPUT_CHARS ? text.substring(0, LOGGED_OUTPUT_CHARS) + "..." : text;
        return "; " + outcome.stdout().length + " bytes of output"
                + (outcome.truncated() ? " (truncated at the limit, " + outcome.stdoutDroppedBytes()
                        + " more bytes dropped)" : "")
                + ": " + shown;
    }

    private static String tail(String text, int maxChars) {
        return text.length() <= maxChars ? text : "..." + text.substring(text.length() - maxChars);
    }

    /** A short extension for the temporary file, so commands that look at it see the kind. */
    private static String suffix(ReceivedItem item) {
        String name = item.name();
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && name.length() - dot <= 8) {
            String ext = name.substring(dot).toLowerCase(Locale.ROOT);
            if (ext.matches("\\.[a-z0-9]+")) {
                return ext;
            }
        }
        return ".bin";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left in the temporary directory; nothing else depends on it.
        }
    }
}
