package io.udpix.cli.stream;

import io.udpix.api.UdpixClient;
import io.udpix.api.stream.StreamOptions;
import io.udpix.cli.CliException;
import io.udpix.cli.ClientConnect;
import io.udpix.cli.DriverOption;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.OutputOptions;
import io.udpix.cli.TrustOptions;
import io.udpix.cli.UdpixCommand;
import io.udpix.cli.convert.HostPort;
import io.udpix.cli.report.Reporters;
import io.udpix.engine.stream.FecMode;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code udpix stream}: sends a live stream of image frames to a server, each frame on time or not at all. */
@Command(
        name = "stream",
        description = {
            "Stream live image frames, each on time or not at all.",
            "",
            "Frames come from a test pattern, a folder, the screen or MJPEG on standard input.",
            "",
            "Every frame has a latency budget (--latency): a lost piece is sent again only while the frame can "
                    + "still arrive in time, parity (--fec) repairs losses a resend could not; a frame that cannot "
                    + "make it is given up, never shown late. When the link is slower than the stream, frames are "
                    + "dropped at the source (the newest always wins) and images this command encodes get a lower "
                    + "JPEG quality, then a smaller size, until the rate fits; never a growing queue.",
            "",
            "Sources: pattern (a moving test card that shows its frame number and capture time), DIR (the "
                    + "images in a folder in name order, looping), screen (this machine's screen), - (an MJPEG "
                    + "byte stream on standard input, e.g. `ffmpeg -f v4l2 -i /dev/video0 -f mjpeg - | udpix "
                    + "stream --to HOST:9000 --source -`). JPEG files and MJPEG frames go as they are unless "
                    + "--size or --quality asks for re-encoding.",
            "",
            "--plain sends the tutorial's way instead (to `udpix serve --plain` or a tutorial-style receiver): "
                    + "each frame one datagram of at most 65,507 bytes, no replies awaited; frames this command "
                    + "encodes get a lower JPEG quality until they fit, a larger JPEG sent as it is is skipped and "
                    + "counted. No repair, pacing, order or encryption: native streams are better wherever both "
                    + "ends run udpix.",
            "",
            "Prints a live status line on a terminal and a summary at the end; --format json prints one object "
                    + "per second and one at the end. Runs until --duration, --frames, the end of the input or "
                    + "Ctrl-C. Server keys are checked as `udpix send` does (--server-key, CONFIG/known_servers).",
        },
        sortOptions = false)
public final class StreamCommand implements Callable<Integer> {

    @ParentCommand
    private UdpixCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--to"}, required = true, paramLabel = "HOST:PORT",
            description = "The receiver (`udpix serve`), e.g. 127.0.0.1:9000.")
    private HostPort to;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "pattern",
            description = "pattern, a directory of images, screen, or - (MJPEG on standard input). "
                    + "Default: ${DEFAULT-VALUE}.")
    private String source;

    @Option(names = "--size", paramLabel = "WxH",
            description = "Frame size, e.g. 1280x720. Default: 1280x720 for pattern, the screen's or the "
                    + "images' own size otherwise (JPEGs are re-encoded only when this is given).")
    private String size;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "30",
            description = "Frames per second to send (at most; an MJPEG pipe may deliver fewer). "
                    + "Default: ${DEFAULT-VALUE}.")
    private double fps;

    @Option(names = "--quality", paramLabel = "Q",
            description = "JPEG quality 1-100 for frames this command encodes: the most it uses when the rate "
                    + "allows (lowered when it does not). Given with a JPEG source, its frames are re-encoded. "
                    + "Default: 85.")
    private Integer quality;

    @Option(names = "--latency", paramLabel = "DURATION", defaultValue = "150ms",
            description = "Latency budget from capture to display, 1ms-10s; the server may clamp it. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration latency;

    @Option(names = "--fec", paramLabel = "MODE", defaultValue = "auto",
            description = "Parity: auto (sized from the measured loss, the round trip and the budget), off, or "
                    + "a percent of the data (e.g. 20). Default: ${DEFAULT-VALUE}.")
    private String fec;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Stop after this long, e.g. 30s. Default: until stopped or the input ends.")
    private Duration duration;

    @Option(names = "--frames", paramLabel = "N",
            description = "Stop after N frames. Default: until stopped or the input ends.")
    private Long frames;

    @Option(names = "--name", paramLabel = "TEXT",
            description = "The stream's name the server shows. Default: the source's.")
    private String name;

    @Option(names = "--plain",
            description = "Plain mode: each frame as one datagram (the tutorial's camera loop), for `udpix serve "
                    + "--plain` or a tutorial-style receiver; see above. Without --fec, --latency, --name, keys or "
                    + "--driver.")
    private boolean plain;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for the server to answer. Default: ${DEFAULT-VALUE}.")
    private Duration connectTimeout;

    @Mixin
    private DriverOption driver;

    @Mixin
    private TrustOptions trust;

    @Mixin
    private OutputOptions output;

    @Mixin
    private io.udpix.cli.trace.QlogOption qlog;

    @Override
    public Integer call() throws InterruptedException {
        StreamSettings settings = settings();
        if (plain) {
            checkPlain();
            try (StreamSource src = StreamSource.open(settings, parent.in()); CtrlC ctrlC = new CtrlC()) {
                return new PlainStreamRun(ClientConnect.resolve(to), src, settings, output.format(),
                        output.quiet(), Reporters.onTerminal(), parent.out(), parent.err()).run();
            }
        }
        trust.check();
        try (var traces = qlog.open(parent.err()); StreamSource src = StreamSource.open(settings, parent.in())) {
            String driverName = driver.resolve();
            StreamOptions options = settings.options(src.description());
            StreamStatusReport report = new StreamStatusReport(output.format(), output.quiet(), parent.out(),
                    parent.err(), Reporters.onTerminal(), to.toString());
            try (UdpixClient client = ClientConnect.connect(to, connectTimeout, driverName, trust.resolve(),
                    qlog, parent.err());
                 CtrlC ctrlC = new CtrlC()) {
                StreamRun run = new StreamRun(client, options, src, settings, report);
                return run.run();
            }
        }
    }

    private StreamSettings settings() {
        if (!(fps > 0 && fps <= StreamOptions.MAX_FPS)) {
            throw CliException.badUsage("--fps " + (fps == Math.rint(fps) ? String.valueOf((long) fps)
                    : String.valueOf(fps)) + " is out of range; use more than 0 and at most "
                    + (int) StreamOptions.MAX_FPS + ", e.g. 30");
        }
        if (quality != null && (quality < 1 || quality > 100)) {
            throw CliException.badUsage("--quality " + quality + " is out of range; use 1 (smallest) to 100 (best)");
        }
        if (latency.toNanos() < 1_000_000L || latency.compareTo(Duration.ofSeconds(10)) > 0) {
            throw CliException.badUsage("--latency " + latency.toMillis() + " ms is out of range; use 1ms to 10s, "
                    + "e.g. 150ms");
        }
        if (duration != null && frames != null) {
            throw CliException.badUsage("give --duration or --frames, not both");
        }
        if (duration != null && duration.isZero()) {
            throw CliException.badUsage("--duration must be more than 0; e.g. 30s");
        }
        if (frames != null && frames < 1) {
            throw CliException.badUsage("--frames " + frames + " must be at least 1");
        }
        if (connectTimeout.isZero()) {
            throw CliException.badUsage("--connect-timeout must be more than 0; e.g. 10s");
        }
        FecMode fecMode;
        try {
            fecMode = FecMode.parse(fec);
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage(e.getMessage());
        }
        int[] wh = size == null ? null : parseSize(size);
        if (name != null && name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
            throw CliException.badUsage("--name is at most 255 bytes (UTF-8); shorten it");
        }
        return new StreamSettings(source, wh, fps, quality, latency, fecMode, duration, frames, name);
    }

    /** Refuses the options plain mode cannot honour, naming each and the fix. */
    private void checkPlain() {
        qlog.checkNotPlain(true);
        var given = spec.commandLine().getParseResult();
        for (String name : java.util.List.of("--fec", "--latency", "--name", "--connect-timeout", "--driver")) {
            if (given.hasMatchedOption(name)) {
                throw CliException.badUsage(name + " applies to native streams only; plain mode sends each frame "
                        + "as one datagram with no " + (name.equals("--fec") ? "parity"
                        : name.equals("--latency") ? "latency budget (nothing is repaired or dropped as late)"
                        : name.equals("--name") ? "stream name" : "connection") + ": remove " + name
                        + " or --plain");
            }
        }
        if (trust.anyGiven()) {
            throw CliException.badUsage("--server-key, --known-servers, --no-known-servers and --key apply to native "
                    + "mode only; plain mode has no keys and no handshake (remove them or --plain)");
        }
    }

    /** {@code WxH} as two numbers, each 1-65535. */
    static int[] parseSize(String text) {
        String[] parts = text.strip().toLowerCase(Locale.ROOT).split("x");
        try {
            if (parts.length == 2) {
                int w = Integer.parseInt(parts[0].strip());
                int h = Integer.parseInt(parts[1].strip());
                if (w >= 1 && w <= 0xFFFF && h >= 1 && h <= 0xFFFF) {
                    return new int[] {w, h};
                }
            }
        } catch (NumberFormatException e) {
            // Falls through to the usage error.
        }
        throw CliException.badUsage("--size '" + text + "' is not WIDTHxHEIGHT in pixels; write e.g. 1280x720");
    }

    /**
     * Ctrl-C or SIGTERM of a standalone {@code udpix stream}: the JVM is exiting anyway, but first the streaming
     * thread is interrupted so that it closes the stream and prints its summary (waited for at most 3 s).
     */
    private static final class CtrlC implements AutoCloseable {
        private static final long SUMMARY_WAIT_MS = 3_000;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        private final Thread hook;

        CtrlC() {
            Thread streaming = Thread.currentThread();
            hook = io.udpix.cli.Main.ownsProcess() ? new Thread(() -> {
                streaming.interrupt();
                try {
                    done.await(SUMMARY_WAIT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "udpix-stream-stop") : null;
            if (hook != null) {
                Runtime.getRuntime().addShutdownHook(hook);
            }
        }

        @Override
        public void close() {
            done.countDown();
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // Already exiting: the hook is running and has just been released.
                }
            }
        }
    }

    /** Exit code for a run that ended because the stream failed. */
    static int exitCodeOf(io.udpix.api.UdpixException e) {
        return e.kind().exitCode() == ExitCodes.OK ? ExitCodes.TRANSFER_FAILED : e.kind().exitCode();
    }
}
