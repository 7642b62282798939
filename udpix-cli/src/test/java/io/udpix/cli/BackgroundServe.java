package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code udpix serve ...} running in-process on its own thread, as a test's server: started, waited for until
 * its ready line, stopped by an interrupt (what SIGINT/SIGTERM do for a standalone process).
 */
public final class BackgroundServe implements AutoCloseable {

    private static final Pattern ADDRESS = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final long STOP_TIMEOUT_MS = 30_000;

    private final LineCollector out = new LineCollector();
    private final LineCollector err = new LineCollector();
    private final Thread thread;
    private final List<Integer> ports = new ArrayList<>();
    private volatile int exitCode = -1;
    private Cli.Result result;

    private BackgroundServe(String[] args) {
        String[] full = new String[args.length + 1];
        full[0] = "serve";
        System.arraycopy(args, 0, full, 1, args.length);
        thread = new Thread(() -> exitCode = Main.run(full, new ByteArrayInputStream(new byte[0]),
                out.printStream(), err.printStream()), "test-serve");
        thread.setDaemon(true);
    }

    /** Starts {@code udpix serve ARGS} and waits for its ready line. */
    public static BackgroundServe start(String... args) throws InterruptedException {
        BackgroundServe serve = new BackgroundServe(args);
        serve.thread.start();
        String ready = serve.out.await(line -> line.startsWith("listening on ")
                || line.contains("\"listening on "), READY_TIMEOUT);
        if (ready == null) {
            serve.thread.join(STOP_TIMEOUT_MS);
            throw new AssertionError("serve did not get ready; exit " + serve.exitCode + "\nstdout:\n"
                    + serve.out.text() + "\nstderr:\n" + serve.err.text());
        }
        String addresses = ready.substring(0, ready.indexOf('('));
        Matcher matcher = ADDRESS.matcher(addresses);
        while (matcher.find()) {
            serve.ports.add(Integer.parseInt(matcher.group(1)));
        }
        return serve;
    }

    /** The bound ports, in the order given. */
    public List<Integer> ports() {
        return ports;
    }

    /** {@code 127.0.0.1:PORT} of the {@code index}-th port. */
    public String address(int index) {
        return "127.0.0.1:" + ports.get(index);
    }

    /** The server's stdout so far. */
    public LineCollector out() {
        return out;
    }

    /** The server's stderr so far. */
    public LineCollector err() {
        return err;
    }

    /** Stops the server (an interrupt) and returns how it ended. Idempotent. */
    public Cli.Result stop() throws InterruptedException {
        if (result == null) {
            thread.interrupt();
            thread.join(STOP_TIMEOUT_MS);
            assertThat(thread.isAlive()).as("serve stops within %d ms", STOP_TIMEOUT_MS).isFalse();
            result = new Cli.Result(exitCode, Cli.lines(out), Cli.lines(err));
        }
        return result;
    }

    /** Stops the server; an interrupt while waiting is kept for the caller. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
