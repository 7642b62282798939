package io.udpix.cli.trace;

import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.api.trace.QlogWriter;
import io.udpix.cli.CliException;
import io.udpix.cli.convert.SizeConverter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --qlog DIR} and {@code --qlog-max-bytes SIZE} (docs/QLOG.md): one qlog JSON-SEQ trace per connection,
 * written by a {@link QlogWriter} thread. Open it before the endpoints start and close it after they stopped, so
 * the last records of every connection reach their files.
 */
public final class QlogOption implements AutoCloseable {
    @Option(names = "--qlog", paramLabel = "DIR",
            description = "Write a qlog trace (JSON-SEQ, readable in qvis) of every connection into DIR, one "
                    + "<time>-<client|server>-<connection id>.sqlog file each. See docs/QLOG.md.")
    private Path dir;

    @Option(names = "--qlog-max-bytes", paramLabel = "SIZE", converter = SizeConverter.class,
            defaultValue = "64MiB",
            description = "Cap of one trace file; events beyond it are dropped and counted in the file's last "
                    + "event. Default: ${DEFAULT-VALUE}.")
    private long maxBytes;

    private QlogWriter writer;
    private PrintStream err = System.err;

    /** Refuses --qlog in plain mode, which has no connections to trace. */
    public void checkNotPlain(boolean plain) {
        if (plain && dir != null) {
            throw CliException.badUsage("--qlog needs native mode: plain mode has no connection state to trace; "
                    + "leave out --plain or --qlog");
        }
    }

    /** Whether --qlog was given. */
    public boolean enabled() {
        return dir != null;
    }

    /**
     * Checks the options and starts the writer when --qlog was given; returns this, to close after the endpoints
     * (closing says on {@code err} where the traces went).
     */
    public QlogOption open(PrintStream err) {
        this.err = err;
        if (dir == null) {
            return this;
        }
        if (maxBytes < QlogWriter.MIN_BYTES_PER_FILE) {
            throw CliException.badUsage("--qlog-max-bytes " + maxBytes + " is too small; use at least "
                    + QlogWriter.MIN_BYTES_PER_FILE + " (e.g. 64MiB)");
        }
        try {
            writer = new QlogWriter(dir, maxBytes);
        } catch (IOException e) {
            throw CliException.badUsage("--qlog " + dir + ": " + e.getMessage());
        }
        return this;
    }

    /** Gives each of the server's endpoints a trace ring (nothing without --qlog). */
    public void applyTo(UdpixServer.Builder builder) {
        QlogWriter w = writer;
        if (w != null) {
            builder.endpointConfig(b -> b.tracer(w.newRing(false)));
        }
    }

    /** Gives the client's endpoint a trace ring (nothing without --qlog). */
    public void applyTo(UdpixClient.Builder builder) {
        QlogWriter w = writer;
        if (w != null) {
            builder.endpointConfig(b -> b.tracer(w.newRing(true)));
        }
    }

    /** Finishes every file; says where the traces are and what was dropped. */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        writer.close();
        long dropped = writer.droppedEvents();
        err.println("udpix: qlog: " + writer.filesCreated() + " trace file(s) in " + dir
                + (dropped > 0 ? "; " + dropped + " event(s) dropped (ring full or --qlog-max-bytes reached; "
                + "each file's last event counts its own)" : ""));
        writer = null;
    }
}
