package io.udpix.cli.serve;

import io.udpix.api.ImageCheck;
import io.udpix.api.trust.AddressRanges;
import io.udpix.api.trust.AllowedKeys;
import io.udpix.api.trust.KeyFile;
import io.udpix.cli.CliException;
import io.udpix.cli.ConfigDir;
import io.udpix.cli.DriverOption;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.Main;
import io.udpix.cli.OutputOptions;
import io.udpix.cli.UdpixCommand;
import io.udpix.cli.convert.ImageCheckConverter;
import io.udpix.cli.convert.SizeConverter;
import io.udpix.cli.report.ItemReporter;
import io.udpix.cli.stream.FramesOut;
import io.udpix.cli.stream.ServeStreams;
import io.udpix.cli.stream.StreamDisplay;
import io.udpix.dashboard.Dashboard;
import io.udpix.engine.crypto.StaticKeyPair;
import java.net.InetAddress;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code udpix serve}: receives images, JSON and files on one or more ports until stopped. */
@Command(
        name = "serve",
        description = {
            "Receive images, JSON and files on one or more ports.",
            "",
            "Listens on every given port at once, each taking items from any number of clients at the same "
                    + "time, each transfer kept apart. Images and files are saved in DIR under a safe version of "
                    + "the sender's name (only after their SHA-256 matched); JSON messages are appended to "
                    + "DIR/messages.jsonl. Prints one line when ready and one per item. Stop with Ctrl-C or "
                    + "SIGTERM: transfers in progress get --grace to finish, the rest are abandoned (no partial "
                    + "files left), and the exit code is 0.",
            "",
            "A name already taken gets the next free number, 'cat (3).jpg' (found in one step, never by trying "
                    + "1, 2, 3...); an existing file is never replaced. Before an item is accepted the server checks "
                    + "--max-total and that the disk keeps 64 MiB free after it; otherwise the sender is refused "
                    + "with 'the receiver is out of space' before any byte is sent. At most 1,024 files are written "
                    + "at once, 64 per sender address.",
            "",
            "Native mode is encrypted. The server proves its key (CONFIG/server.key, created on first use, or "
                    + "--key FILE); the ready line prints its fingerprint for clients to pin (send --server-key). "
                    + "--allow-keys and --allow admit only listed client keys and addresses. CONFIG is "
                    + "$UDPIX_CONFIG_DIR, else $XDG_CONFIG_HOME/udpix, else ~/.config/udpix.",
            "",
            "--plain speaks the tutorial's format instead (one-datagram images and JSON, or a length header then "
                    + "pieces; every datagram answered). Plain mode cannot detect loss, duplication or "
                    + "reordering: it has no sequence numbers and no checksum, so a damaged item may be stored "
                    + "unnoticed. Use it only on loopback or a trusted LAN, for senders that speak nothing else.",
        },
        sortOptions = false)
public final class ServeCommand implements Callable<Integer> {

    /** Default of {@code --max-size}: the plain-mode default, applied to native mode too. */
    static final String DEFAULT_MAX_SIZE = "1GiB";
    private static final int MAX_PORTS = 64;

    @ParentCommand
    private UdpixCommand parent;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-p", "--port"}, required = true, paramLabel = "PORT",
            description = "UDP port to listen on; repeat for several (--port 9000 --port 9001). 0 picks a free "
                    + "port; the ready line says which.")
    private List<Integer> ports;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Local address to listen on; 0.0.0.0 for every interface (anyone who can reach it can "
                    + "store files in DIR). Default: ${DEFAULT-VALUE}.")
    private String bind;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "received",
            description = "Where items are saved (created if needed). Default: ${DEFAULT-VALUE} (in the current "
                    + "directory).")
    private Path out;

    @Option(names = "--display",
            description = "Show the latest image of each port in a window, live (needs a screen).")
    private boolean display;

    @Option(names = "--frames-out", paramLabel = "DIR",
            description = "Keep the frames of every stream as DIR/<sender>-<stream>/<frame number>.jpg (sender "
                    + "HOST_PORT, number zero-padded to 8 digits). Written off the network thread; when the disk "
                    + "falls behind, frames are skipped and counted (framesNotSaved). Default: frames are not kept.")
    private Path framesOut;

    @Option(names = "--no-streams",
            description = "Refuse frame streams (`udpix stream` senders are told the server does not take them); "
                    + "items are still taken.")
    private boolean noStreams;

    @Mixin
    private StreamLimitOptions streamLimits;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = DEFAULT_MAX_SIZE,
            converter = SizeConverter.class,
            description = "Refuse larger items (e.g. 500MB, 2GiB); native senders are told before sending. "
                    + "Default: ${DEFAULT-VALUE}.")
    private long maxSizeBytes;

    @Option(names = "--max-total", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Most DIR may hold (e.g. 50GiB): its files when the server starts, plus every item "
                    + "received, plus the full size of items in progress. An item that does not fit is refused "
                    + "before it is sent (the sender is told the receiver is out of space); while others are "
                    + "sending, one address may reserve at most half of what is left. Native mode. Default: no "
                    + "limit (the disk's free space, less 64 MiB, still applies).")
    private Long maxTotalBytes;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "1024",
            description = "Connections kept at once per port; one address (a NAT'd office counts as one) gets at "
                    + "most max(4, N/16) of them, the rest stay for others. Each idle connection costs about 9 KB "
                    + "of heap. Native mode. Default: ${DEFAULT-VALUE}.")
    private int maxConnections;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s",
            description = "On stop, how long transfers in progress may take to finish before they are "
                    + "abandoned. Default: ${DEFAULT-VALUE}.")
    private Duration grace;

    @Mixin
    private DriverOption driver;

    @Option(names = "--fsync",
            description = "Flush each file (and JSON line) to the disk before naming it and confirming it to the "
                    + "sender, so a "
                    + "confirmed file survives a power loss (about 0.9 s per GiB on an SSD). Off by default, like "
                    + "cp, scp and rsync: files still appear complete in one step.")
    private boolean fsync;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Driver threads per port, each with its own socket (SO_REUSEPORT): the kernel spreads "
                    + "clients over them, so many clients use several cores (one client stays on one thread). "
                    + "Any process of the same user can then also join the port. Default: ${DEFAULT-VALUE}.")
    private int threads;

    @Option(names = "--image-check", paramLabel = "LEVEL", defaultValue = "header",
            converter = ImageCheckConverter.class,
            description = "How much to check received images beyond their SHA-256: header (size and format, "
                    + "microseconds), decode (every pixel, so a truncated image gets a warning; milliseconds per "
                    + "image) or none. Default: ${DEFAULT-VALUE}.")
    private ImageCheck imageCheck;

    @Option(names = "--key", paramLabel = "FILE",
            description = "The server's private key (make one with `udpix keygen --out FILE`). Default: "
                    + "CONFIG/server.key, created on first use.")
    private Path keyFile;

    @Option(names = "--allow-keys", paramLabel = "FILE",
            description = "Admit only clients whose key is in FILE (a public key or SHA256: fingerprint per "
                    + "line, # comments; `udpix keygen` prints both); others are refused (their send exits 4).")
    private Path allowKeysFile;

    @Option(names = "--allow", paramLabel = "CIDR", split = ",",
            description = "Take connections only from these addresses: IPv4 or IPv6 addresses or CIDR ranges, "
                    + "comma-separated or repeated (--allow 10.0.0.0/8,::1). Others are refused (their send exits 4).")
    private List<String> allow;

    @Option(names = "--plain",
            description = "Plain mode: the tutorial's wire format (see above; cannot detect loss).")
    private boolean plain;

    @Option(names = "--plain-header", paramLabel = "FORMAT", defaultValue = "8le",
            description = "Plain mode: length header layout, 8le (Python struct.pack('l', n) on 64-bit Linux), "
                    + "8be, 4le or 4be. Default: ${DEFAULT-VALUE}.")
    private String plainHeader;

    @Option(names = "--plain-reply", paramLabel = "TEXT", defaultValue = "received",
            description = "Plain mode: the reply to every accepted datagram. Default: ${DEFAULT-VALUE}.")
    private String plainReply;

    @Option(names = "--plain-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Plain mode: a sender silent this long in the middle of an item loses the partial "
                    + "item. Default: ${DEFAULT-VALUE}.")
    private Duration plainTimeout;

    @Mixin
    private OutputOptions output;

    @Mixin
    private io.udpix.cli.trace.QlogOption qlog;

    @Mixin
    private io.udpix.cli.stats.StatsOption stats;

    @Mixin
    private HttpOption http;

    @Mixin
    private KafkaOptions kafka;

    @Mixin
    private ExecOptions exec;

    @Override
    public Integer call() {
        checkOptions();
        streamLimits.check(plain, noStreams, spec.commandLine().getParseResult());
        qlog.checkNotPlain(plain);
        stats.interval(); // checks it before anything binds or connects
        http.check(plain);
        kafka.check(plain, out);
        exec.check(plain);
        if (plain && stats.enabled()) {
            throw CliException.badUsage("--stats needs native mode: plain mode keeps no per-connection figures; "
                    + "leave out --plain or --stats");
        }
        InetAddress bindAddress = bindAddress();
        List<String> allowedKeys = allowedKeys();
        List<String> allowedAddresses = allowedAddresses();
        StaticKeyPair serverKey = plain ? null : serverKey();
        ServeSettings settings = new ServeSettings(bindAddress, List.copyOf(ports), out, maxSizeBytes, grace,
                fsync, threads, imageCheck, driver.resolve(), plainHeader, plainReply, plainTimeout,
                maxTotalBytes == null ? Long.MAX_VALUE : maxTotalBytes, serverKey, allowedKeys, allowedAddresses,
                maxConnections, !noStreams, plain ? null : streamLimits.limits());
        try (var traces = qlog.open(parent.err());
             ItemReporter reporter = output.reporter(parent.out());
             LiveDisplay liveDisplay = display ? LiveDisplay.open("udpix serve") : LiveDisplay.none();
             ServeStreams streams = plain ? null : serveStreams(liveDisplay);
             StopSignal stop = Main.ownsProcess() ? StopSignal.forProcess(parent.err()::println)
                     : StopSignal.embedded()) {
            DashboardTap tap = new DashboardTap();
            RunningServer server = plain ? PlainServe.start(settings, reporter, liveDisplay)
                    : NativeServe.start(settings, reporter, liveDisplay, streams, qlog, tap, kafka,
                            exec.handler(reporter::status), exec.jobs());
            Dashboard dashboard = null;
            try {
                if (http.enabled()) {
                    dashboard = http.start(((NativeServe) server).server());
                    tap.attach(dashboard);
                }
                reporter.status(readyLine(server));
                if (exec.enabled()) {
                    reporter.status(exec.describe());
                }
                if (dashboard != null) {
                    DashboardBanner.print(dashboard, output, parent.out());
                }
                String why;
                try (var printer = io.udpix.cli.stats.StatsPrinter.start(stats.interval(), server::socketStats,
                        output.format() == io.udpix.cli.report.ReportFormat.JSON, parent.out())) {
                    why = stop.await();
                }
                reporter.status("stopping (" + why + "): " + server.stopping());
            } finally {
                server.close();
                if (dashboard != null) {
                    dashboard.close(); // after the server: its last figures stay visible through the grace period
                }
            }
            reporter.status("stopped; " + server.itemsReceived() + " item(s) received");
            return ExitCodes.OK;
        }
    }

    /** Reports, keeps and shows frame streams as --format, --frames-out and --display ask. */
    private ServeStreams serveStreams(LiveDisplay liveDisplay) {
        FramesOut frames = null;
        if (framesOut != null) {
            try {
                frames = FramesOut.open(framesOut, parent.err());
            } catch (IOException e) {
                throw CliException.badUsage("--frames-out " + framesOut + ": " + e.getMessage());
            }
        }
        return new ServeStreams(output.format(), output.quiet(), parent.out(), frames,
                liveDisplay.showing() ? new StreamDisplay(liveDisplay) : null);
    }

    private String readyLine(RunningServer server) {
        String addresses = server.addresses().stream().map(io.udpix.cli.AddressText::of)
                .collect(Collectors.joining(", "));
        String key = server.fingerprint() == null ? "" : "; key " + server.fingerprint();
        return "listening on " + addresses + " (" + server.mode() + ")" + key + "; saving to " + out
                + "; stop with Ctrl-C";
    }

    /** The key from --key, or CONFIG/server.key (created, and said so, when missing). */
    private StaticKeyPair serverKey() {
        if (keyFile != null) {
            if (!Files.exists(keyFile)) {
                throw CliException.badUsage("--key " + keyFile + ": no such file; make one with `udpix keygen "
                        + "--out " + keyFile + "`, or leave --key out to use " + ConfigDir.file(ConfigDir.SERVER_KEY));
            }
            try {
                return KeyFile.read(keyFile);
            } catch (IOException e) {
                throw CliException.badUsage("--key " + keyFile + ": " + e.getMessage());
            }
        }
        Path file = ConfigDir.file(ConfigDir.SERVER_KEY);
        try {
            KeyFile.Loaded loaded = KeyFile.readOrCreate(file, new SecureRandom());
            if (loaded.created()) {
                parent.err().println("udpix serve: created the server key " + file + " (" + loaded.key()
                        .fingerprint() + "); clients can pin it with --server-key " + loaded.key().fingerprint());
            }
            return loaded.key();
        } catch (IOException e) {
            throw CliException.badUsage("cannot use the server key " + file + ": " + e.getMessage()
                    + " (or give one with --key FILE, or set " + ConfigDir.ENV + ")");
        }
    }

    private List<String> allowedKeys() {
        if (allowKeysFile == null) {
            return null;
        }
        try {
            List<String> entries = AllowedKeys.readEntries(allowKeysFile);
            if (entries.isEmpty()) {
                throw CliException.badUsage("--allow-keys " + allowKeysFile + " lists no key, so no client could "
                        + "connect; add the public keys `udpix keygen` printed, one per line");
            }
            return entries;
        } catch (IOException e) {
            throw CliException.badUsage("--allow-keys " + allowKeysFile + ": " + (e instanceof java.nio.file
                    .NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }

    private List<String> allowedAddresses() {
        if (allow == null) {
            return null;
        }
        try {
            AddressRanges.parse(allow);
            return List.copyOf(allow);
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage("--allow: " + e.getMessage());
        }
    }

    private void checkOptions() {
        if (ports.size() > MAX_PORTS) {
            throw CliException.badUsage(ports.size() + " ports given; at most " + MAX_PORTS
                    + " at once (start another udpix serve for more)");
        }
        Set<Integer> seen = new HashSet<>();
        for (int port : ports) {
            if (port < 0 || port > 65_535) {
                throw CliException.badUsage("--port " + port + " is out of range; use 1 to 65535, or 0 for a "
                        + "free port");
            }
            if (port != 0 && !seen.add(port)) {
                throw CliException.badUsage("--port " + port + " is given twice; give each port once");
            }
        }
        if (threads < 1 || threads > 64) {
            throw CliException.badUsage("--threads " + threads + " is out of range; use 1 to 64 (about one per "
                    + "core)");
        }
        if (maxSizeBytes <= 0) {
            throw CliException.badUsage("--max-size must be at least 1 byte");
        }
        if (maxTotalBytes != null && maxTotalBytes <= 0) {
            throw CliException.badUsage("--max-total must be at least 1 byte");
        }
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            throw CliException.badUsage("--max-connections " + maxConnections + " is out of range; use 1 to "
                    + "1,000,000 (each idle connection costs about 9 KB of heap)");
        }
        if (!plain) {
            for (String name : List.of("--plain-header", "--plain-reply", "--plain-timeout")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw CliException.badUsage(name + " applies to plain mode only; add --plain or remove "
                            + name);
                }
            }
        } else if (framesOut != null || noStreams) {
            throw CliException.badUsage("--frames-out and --no-streams apply to native mode only; plain mode has no "
                    + "frame streams (remove --plain)");
        } else if (keyFile != null || allowKeysFile != null || allow != null) {
            throw CliException.badUsage("--key, --allow-keys and --allow apply to native mode only; plain mode has "
                    + "no keys and no handshake");
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--driver")) {
            throw CliException.badUsage("--driver applies to native mode only; plain mode always uses the JDK's "
                    + "sockets");
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--image-check")) {
            throw CliException.badUsage("--image-check applies to native mode only; remove it or --plain");
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--max-total")) {
            throw CliException.badUsage("--max-total applies to native mode only; remove it or --plain");
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--max-connections")) {
            throw CliException.badUsage("--max-connections applies to native mode only; remove it or --plain");
        } else if (spec.commandLine().getParseResult().hasMatchedOption("--threads")) {
            throw CliException.badUsage("--threads applies to native mode only; remove it or --plain");
        }
        if (framesOut != null && noStreams) {
            throw CliException.badUsage("--frames-out keeps stream frames, but --no-streams refuses streams; give "
                    + "one of them");
        }
        if (display && !LiveDisplay.available()) {
            throw CliException.badUsage("--display needs a screen, and there is none (DISPLAY unset or "
                    + "-Djava.awt.headless=true); run without --display, or set DISPLAY");
        }
    }

    private InetAddress bindAddress() {
        String text = bind.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw CliException.badUsage("--bind '" + bind + "' is not an address of this machine; use e.g. "
                    + "127.0.0.1, 0.0.0.0 or ::1");
        }
    }
}
