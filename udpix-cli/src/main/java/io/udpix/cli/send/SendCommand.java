package io.udpix.cli.send;

import io.udpix.api.Items;
import io.udpix.api.UdpixException;
import io.udpix.api.store.MessageLog;
import io.udpix.cli.CliException;
import io.udpix.cli.DriverOption;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.OutputOptions;
import io.udpix.cli.TrustOptions;
import io.udpix.cli.UdpixCommand;
import io.udpix.cli.convert.HostPort;
import io.udpix.plain.ItemSniffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code udpix send}: sends files and JSON documents to a server and waits for its confirmation of each. */
@Command(
        name = "send",
        description = {
            "Send files and JSON; exit 0 once each is confirmed.",
            "",
            "Files go as they are (images as their encoded bytes, unless --resize or --quality re-encodes them). "
                    + "A folder sends its files under their paths (DIR/sub/file), and `udpix serve --out` "
                    + "recreates the tree; symbolic links inside it are skipped, never followed, and empty "
                    + "folders are not sent. "
                    + "Succeeds (exit "
                    + "code 0) only when the receiver has confirmed every item with its SHA-256; otherwise says "
                    + "why (no server, refused, timed out, too large...) and exits non-zero.",
            "",
            "--plain sends in the tutorial's format instead (to `udpix serve --plain` or a tutorial-style "
                    + "receiver): one datagram for a small image or a JSON document, else a length header and "
                    + "pieces; each datagram must be answered. Plain mode cannot detect loss, duplication or "
                    + "reordering; a missing reply fails the send.",
            "",
            "Native mode is encrypted, and the server proves its key. --server-key pins it (the fingerprint "
                    + "`udpix serve` prints); otherwise the first key a server shows is trusted and recorded in "
                    + "CONFIG/known_servers, and a changed key is refused (exit 4) with how to accept it, as ssh "
                    + "does. CONFIG is $UDPIX_CONFIG_DIR, else $XDG_CONFIG_HOME/udpix, else ~/.config/udpix.",
        },
        sortOptions = false)
public final class SendCommand implements Callable<Integer> {

    /** Largest JSON document taken from the command line or stdin: a server's default in-memory JSON limit. */
    static final int MAX_JSON_BYTES = 8 << 20;

    @ParentCommand
    private UdpixCommand parent;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Files and folders to send, in this order (images are recognised by name or content; "
                    + "a folder's files in name order, each directory's entries sorted).")
    private List<Path> files = new ArrayList<>();

    @Option(names = {"-t", "--to"}, required = true, paramLabel = "HOST:PORT",
            description = "The receiver, e.g. 127.0.0.1:9000, localhost:9000 or [::1]:9000.")
    private HostPort to;

    @Option(names = "--json", paramLabel = "TEXT",
            description = "A JSON document to send (after the files); repeatable. '-' reads it from standard "
                    + "input.")
    private List<String> json = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
            description = "Send everything N times (0 = until stopped, as the tutorial's `while True` "
                    + "clients do). Default: ${DEFAULT-VALUE}.")
    private long repeat;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "0",
            description = "Pause between repetitions, e.g. 500ms or 2s. Default: none.")
    private Duration interval;

    @Option(names = "--resize", paramLabel = "PX",
            description = "Re-encode images so their longer side is at most PX pixels (never enlarged).")
    private Integer resizePx;

    @Option(names = "--quality", paramLabel = "Q",
            description = "Re-encode images as JPEG at quality Q (1-100), as the tutorial's "
                    + "imencode('.jpg') does.")
    private Integer quality;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "How long to wait for the server to answer. Default: ${DEFAULT-VALUE}.")
    private Duration connectTimeout;

    @Mixin
    private DriverOption driver;

    @Mixin
    private TrustOptions trust;

    @Option(names = "--retry", paramLabel = "N", defaultValue = "0",
            description = "Send an item again, up to N times, when the receiver refuses it with \"try again later\" "
                    + "(SERVER_BUSY: e.g. its Kafka buffer is full); waits 0.25 s, 0.5 s, 1 s... (at most 8 s) "
                    + "between tries. Default: ${DEFAULT-VALUE} (report the refusal).")
    private int retries;

    @Option(names = "--stream-key", paramLabel = "KEY",
            description = "The stream key a receiver publishing to Kafka files these items under (the record key; "
                    + "sent as the names' directory part, KEY/NAME, which `serve --out` keeps as a folder). "
                    + "Default: the receiver's PORT/IP:PORT of this sender. Native mode.")
    private String streamKey;

    @Option(names = "--no-resume", negatable = false,
            description = "Send every byte of every file. By default a file of 1 MiB or more is hashed first and "
                    + "sent resumable: when the receiver kept part of it from an interrupted send (same name, size "
                    + "and SHA-256), only the rest is sent, and the stored file is still verified whole. Native "
                    + "mode.")
    private boolean noResume;

    @Option(names = "--max-rate", paramLabel = "BYTES", converter = io.udpix.cli.convert.SizeConverter.class,
            description = "Send at most this many bytes per second, e.g. 20MB (leave room on a shared link). "
                    + "Default: as fast as the path allows. Native mode.")
    private Long maxRateBytesPerSecond;

    @Option(names = "--plain", description = "Plain mode: the tutorial's wire format (cannot detect loss).")
    private boolean plain;

    @Option(names = "--chunk", paramLabel = "BYTES",
            description = "Plain mode: always send a length header, then pieces of BYTES (the tutorial's 1024). "
                    + "Default: one datagram for images and JSON up to 65,507 bytes, else 1024-byte pieces.")
    private Integer chunkBytes;

    @Option(names = "--wait-each",
            description = "Plain mode: wait for the reply to every datagram before the next (stop-and-wait).")
    private boolean waitEach;

    @Option(names = "--plain-header", paramLabel = "FORMAT", defaultValue = "8le",
            description = "Plain mode: length header layout, 8le, 8be, 4le or 4be. Default: ${DEFAULT-VALUE}.")
    private String plainHeader;

    @Option(names = "--plain-timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "Plain mode: a reply that does not come within this fails the send. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration plainTimeout;

    @Mixin
    private RequestOptions requests;

    @Mixin
    private OutputOptions output;

    @Mixin
    private io.udpix.cli.trace.QlogOption qlog;

    @Mixin
    private io.udpix.cli.stats.StatsOption stats;

    @Override
    public Integer call() throws IOException {
        checkOptions();
        qlog.checkNotPlain(plain);
        stats.interval(); // checks it before anything binds or connects
        if (plain && stats.enabled()) {
            throw CliException.badUsage("--stats needs native mode: plain mode keeps no per-connection figures; "
                    + "leave out --plain or --stats");
        }
        if (retries < 0 || retries > 100) {
            throw CliException.badUsage("--retry " + retries + " is out of range; use 0 to 100");
        }
        if (streamKey != null && (plain || streamKey.isBlank() || streamKey.codePoints().anyMatch(
                Character::isISOControl) || streamKey.length() > 128)) {
            throw CliException.badUsage(plain ? "--stream-key applies to native mode only; remove --plain or "
                    + "--stream-key" : "--stream-key must be 1 to 128 printable characters, e.g. --stream-key cam-7");
        }
        List<Outgoing> outgoing = prepare();
        SendSettings settings = new SendSettings(to, repeat, interval, connectTimeout,
                plain ? null : driver.resolve(), plainHeader, chunkBytes == null ? 0 : chunkBytes, waitEach,
                plainTimeout, plain ? null : trust.resolve(), retries, streamKey, !noResume,
                maxRateBytesPerSecond == null ? Long.MAX_VALUE : maxRateBytesPerSecond);
        try (var traces = qlog.open(parent.err()); var reporter = output.reporter(parent.out())) {
            SendTally tally;
            try {
                tally = plain ? PlainSend.run(settings, outgoing, reporter)
                        : NativeSend.run(settings, outgoing, reporter, parent.err(), qlog, client -> io.udpix.cli.stats
                                .StatsPrinter.start(stats.interval(), () -> java.util.List.of(client.stats()),
                                        output.format() == io.udpix.cli.report.ReportFormat.JSON, parent.out()),
                                requests, new ReplyPrinter(parent.out(),
                                        output.format() == io.udpix.cli.report.ReportFormat.JSON));
            } catch (InterruptedException e) {
                // Embedded use (a standalone process just ends on Ctrl-C): stopped before everything was confirmed.
                Thread.currentThread().interrupt();
                throw CliException.transferFailed("stopped before every item was confirmed; items in flight were "
                        + "cancelled", e);
            }
            if (tally.failed() > 0) {
                throw new CliException(tally.exitCode(), tally.summary(to.toString()), null);
            }
            if (tally.confirmed() > 1) {
                reporter.status(tally.summary(to.toString()));
            }
            return ExitCodes.OK;
        }
    }

    private void checkOptions() {
        if (files.isEmpty() && json.isEmpty()) {
            throw CliException.badUsage("nothing to send; give FILE... and/or --json TEXT");
        }
        if (repeat < 0) {
            throw CliException.badUsage("--repeat " + repeat + " is negative; use 1 or more, or 0 for forever");
        }
        if (resizePx != null && (resizePx < 1 || resizePx > 100_000)) {
            throw CliException.badUsage("--resize " + resizePx + " is not a size in pixels; use e.g. 640");
        }
        if (quality != null && (quality < 1 || quality > 100)) {
            throw CliException.badUsage("--quality " + quality + " is out of range; use 1 (smallest) to 100 (best)");
        }
        if (connectTimeout.isZero()) {
            throw CliException.badUsage("--connect-timeout must be more than 0; e.g. 10s");
        }
        if (plain && trust.anyGiven()) {
            throw CliException.badUsage("--server-key, --known-servers, --no-known-servers and --key apply to "
                    + "native mode only; plain mode has no keys and no handshake");
        }
        trust.check();
        requests.check(plain, spec.commandLine().getParseResult().hasMatchedOption("--reply-timeout")
                || spec.commandLine().getParseResult().hasMatchedOption("--max-reply"));
        if (plain) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--driver")
                    || spec.commandLine().getParseResult().hasMatchedOption("--connect-timeout")) {
                throw CliException.badUsage("--driver and --connect-timeout apply to native mode only; plain mode "
                        + "has no connection (use --plain-timeout)");
            }
            if (chunkBytes != null && (chunkBytes < 1 || chunkBytes > 65_507)) {
                throw CliException.badUsage("--chunk " + chunkBytes + " is not a datagram size; use 1 to 65507 "
                        + "(the tutorial uses 1024)");
            }
            if (plainTimeout.isZero()) {
                throw CliException.badUsage("--plain-timeout must be more than 0; e.g. 10s");
            }
            for (String name : List.of("--no-resume", "--max-rate")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw CliException.badUsage(name + " applies to native mode only; remove --plain or " + name);
                }
            }
        } else {
            if (maxRateBytesPerSecond != null && maxRateBytesPerSecond < 1) {
                throw CliException.badUsage("--max-rate must be more than 0 bytes per second; e.g. --max-rate 20MB");
            }
            for (String name : List.of("--chunk", "--wait-each", "--plain-header", "--plain-timeout")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw CliException.badUsage(name + " applies to plain mode only; add --plain or remove " + name);
                }
            }
        }
    }

    /** Checks every file and JSON document before anything is sent, re-encoding images when asked. */
    private List<Outgoing> prepare() throws IOException {
        List<Outgoing> outgoing = new ArrayList<>(files.size() + json.size());
        List<Path> emptyFolders = new ArrayList<>();
        for (Path file : files) {
            if (Files.isDirectory(file)) {
                if (!prepareFolder(file, outgoing)) {
                    emptyFolders.add(file);
                }
            } else {
                outgoing.add(prepareFile(file, null));
            }
        }
        if (outgoing.isEmpty() && json.isEmpty()) {
            throw CliException.badUsage("nothing to send: " + emptyFolders.get(0) + (emptyFolders.size() > 1
                    ? " and the other folders have" : " has") + " no files (empty folders are not sent)");
        }
        for (Path empty : emptyFolders) {
            parent.err().println("udpix send: " + empty + " has no files to send (empty folders are not sent)");
        }
        String stdin = null;
        for (String text : json) {
            String document = text;
            if (text.equals("-")) {
                stdin = stdin != null ? stdin : readStdin();
                document = stdin;
            }
            outgoing.add(Outgoing.json(checkJson(document)));
        }
        return outgoing;
    }

    /**
     * A folder's files, named by their paths from the folder's own name (as {@code cp -r} names them); links and
     * special files are skipped with a warning (docs: README "Sending folders"). False when it has no files.
     */
    private boolean prepareFolder(Path dir, List<Outgoing> outgoing) throws IOException {
        if (plain) {
            throw CliException.badUsage(dir + " is a folder: plain mode carries no file names, so a tree cannot be "
                    + "kept; send it in native mode (leave out --plain) or give its files");
        }
        Items.Listing listing;
        try {
            listing = Items.list(dir);
        } catch (UdpixException e) {
            throw CliException.badUsage(e.getMessage());
        }
        for (String skipped : listing.skipped()) {
            parent.err().println("udpix send: skipping " + skipped);
        }
        for (Items.Named named : listing.files()) {
            outgoing.add(prepareFile(named.file(), named.name()));
        }
        return !listing.files().isEmpty();
    }

    /** A file to send under {@code name} (null: its file name). */
    private Outgoing prepareFile(Path file, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw CliException.badUsage("cannot read " + file + ": no such file; check the path");
        }
        if (!Files.isReadable(file)) {
            throw CliException.badUsage("cannot read " + file + ": permission denied");
        }
        if (plain && Files.size(file) == 0) {
            throw CliException.badUsage(file + " is empty; plain mode cannot send an empty item (native mode can)");
        }
        if (resizePx == null && quality == null) {
            return name == null ? Outgoing.file(file) : Outgoing.file(file, name);
        }
        Optional<ImageReencoder.Encoded> encoded = ImageReencoder.reencode(file, resizePx, quality);
        if (encoded.isEmpty()) {
            parent.err().println("udpix send: " + file + " is not an image ImageIO can read; sending it unchanged "
                    + "(--resize/--quality apply to images only)");
            return name == null ? Outgoing.file(file) : Outgoing.file(file, name);
        }
        ImageReencoder.Encoded image = encoded.get();
        String directory = name == null ? "" : name.substring(0, name.lastIndexOf('/') + 1);
        return Outgoing.bytes("image", directory + image.name(), image.bytes());
    }

    private String checkJson(String document) {
        byte[] utf8 = document.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_JSON_BYTES) {
            throw CliException.badUsage("--json document of " + utf8.length + " bytes is over the " + MAX_JSON_BYTES
                    + "-byte limit; send it as a file instead");
        }
        String error = MessageLog.validateJson(utf8);
        if (error != null) {
            throw CliException.badUsage("--json: " + error + "; give exactly one valid JSON document (quote it for "
                    + "the shell: --json '{\"a\": 1}')");
        }
        if (plain && !ItemSniffer.isJsonDocument(utf8)) {
            throw CliException.badUsage("--json: plain receivers take only JSON objects and arrays as messages; "
                    + "wrap a bare value, e.g. [42]");
        }
        if (plain && utf8.length > 65_507) {
            throw CliException.badUsage("--json document of " + utf8.length + " bytes does not fit one datagram "
                    + "(65,507 bytes) in plain mode; send it as a file");
        }
        return document;
    }

    private String readStdin() throws IOException {
        InputStream in = parent.in();
        byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
        if (bytes.length > MAX_JSON_BYTES) {
            throw CliException.badUsage("--json - read more than " + MAX_JSON_BYTES + " bytes from standard input; "
                    + "send a document that large as a file");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
