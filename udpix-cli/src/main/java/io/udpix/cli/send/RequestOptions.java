package io.udpix.cli.send;

import io.udpix.api.Item;
import io.udpix.api.UdpixClient;
import io.udpix.cli.CliException;
import io.udpix.cli.convert.SizeConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code send}'s metadata and reply options ({@code --meta}, {@code --wait-reply}...): native mode only. */
public final class RequestOptions {

    @Option(names = "--meta", paramLabel = "KEY=VALUE",
            description = "Metadata for every item, stored beside it by the receiver (messages.jsonl, "
                    + "NAME.meta.json) and shown by `udpix serve`; repeatable. KEY: 1-32 of a-z 0-9 . _ -; VALUE: "
                    + "one line, at most 255 bytes. Native mode.")
    private List<String> meta = new ArrayList<>();

    @Option(names = "--wait-reply",
            description = "Send each item as a request and print the server's reply (JSON and text to standard "
                    + "output; with --format json as an object). A server without a reply handler, or whose "
                    + "handler fails, fails the item. Native mode.")
    private boolean waitReply;

    @Option(names = "--reply-timeout", paramLabel = "DURATION", defaultValue = "30s",
            description = "With --wait-reply: how long after the server confirmed an item its reply may take to "
                    + "start. Default: ${DEFAULT-VALUE}.")
    private Duration replyTimeout;

    @Option(names = "--max-reply", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "16MiB",
            description = "With --wait-reply: the largest reply taken (held in memory). Default: "
                    + "${DEFAULT-VALUE}.")
    private long maxReplyBytes;

    private Map<String, String> checkedMeta;

    /**
     * Checks the options; {@code plain} refuses them all.
     *
     * @throws CliException (bad usage) naming the option and the fix
     */
    void check(boolean plain, boolean replyOptionsGiven) {
        if (plain && (!meta.isEmpty() || waitReply || replyOptionsGiven)) {
            throw CliException.badUsage("--meta, --wait-reply, --reply-timeout and --max-reply apply to native "
                    + "mode only; plain receivers keep no metadata and send no replies: remove --plain");
        }
        if (!waitReply && replyOptionsGiven) {
            throw CliException.badUsage("--reply-timeout and --max-reply apply with --wait-reply only; add "
                    + "--wait-reply");
        }
        if (replyTimeout.isZero() || replyTimeout.isNegative()) {
            throw CliException.badUsage("--reply-timeout must be more than 0; e.g. 30s");
        }
        if (maxReplyBytes > Integer.MAX_VALUE - 8) {
            throw CliException.badUsage("--max-reply " + maxReplyBytes + " is more than a reply held in memory can "
                    + "be; use at most 2GiB");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        Item probe = Item.bytes(new byte[0], "probe");
        for (String entry : meta) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw CliException.badUsage("--meta '" + entry + "' is not KEY=VALUE; write e.g. --meta "
                        + "camera=door-2");
            }
            String key = entry.substring(0, eq);
            String value = entry.substring(eq + 1);
            try {
                probe = probe.withMeta(key, value); // the API's checks, with their messages
            } catch (IllegalArgumentException e) {
                throw CliException.badUsage("--meta: " + e.getMessage());
            }
            entries.put(key, value);
        }
        checkedMeta = Collections.unmodifiableMap(entries);
    }

    /** {@code item} with every {@code --meta} entry (after {@link #check}). */
    Item apply(Item item) {
        Item out = item;
        for (Map.Entry<String, String> e : checkedMeta.entrySet()) {
            out = out.withMeta(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Whether each item goes as a request whose reply is printed. */
    boolean waitReply() {
        return waitReply;
    }

    /** Sets the client's reply timeout and size limit. */
    UdpixClient.Builder configure(UdpixClient.Builder builder) {
        return builder.replyTimeout(replyTimeout).maxReplyBytes(maxReplyBytes);
    }
}
