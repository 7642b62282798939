package io.udpix.cli.send;

import io.udpix.cli.CliException;
import io.udpix.cli.ClientConnect;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import io.udpix.plain.PlainHeaderFormat;
import io.udpix.plain.PlainSendException;
import io.udpix.plain.PlainSendOptions;
import io.udpix.plain.PlainSendResult;
import io.udpix.plain.PlainSender;
import io.udpix.plain.ItemSniffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/** Plain mode of {@code send}: the tutorial's datagrams through {@link PlainSender}, one item at a time. */
final class PlainSend {

    private PlainSend() {
    }

    /**
     * Sends every round; stops at the first failure, since plain mode cannot tell what the receiver kept.
     *
     * @throws CliException exit code 3 when nothing ever answered (no receiver), 1 for a later failure or an
     *                      error reply, 2 for settings the plain format cannot carry
     */
    static SendTally run(SendSettings settings, List<Outgoing> outgoing, ItemReporter reporter)
            throws IOException, InterruptedException {
        PlainSendOptions options;
        try {
            options = PlainSendOptions.DEFAULTS
                    .withHeaderFormat(PlainHeaderFormat.parse(settings.plainHeader()))
                    .withChunkBytes(settings.chunkBytes())
                    .withWaitEach(settings.waitEach())
                    .withReplyTimeout(settings.plainTimeout());
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage(e.getMessage());
        }
        InetSocketAddress target = ClientConnect.resolve(settings.to());
        String receiver = settings.to().toString();
        SendTally tally = new SendTally();
        try (PlainSender sender = PlainSender.open(target, options)) {
            for (long round = 0; settings.moreRounds(round); round++) {
                if (round > 0) {
                    settings.pause();
                }
                for (Outgoing item : outgoing) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException("stopped");
                    }
                    send(sender, item, reporter, tally, receiver);
                }
            }
        }
        return tally;
    }

    private static void send(PlainSender sender, Outgoing item, ItemReporter reporter, SendTally tally,
                             String receiver) throws IOException {
        long startNs = System.nanoTime();
        String kind = kind(item);
        long lengthBytes = item.file() != null ? Files.size(item.file())
                : item.bytes() != null ? item.bytes().length : item.jsonText().getBytes(
                        java.nio.charset.StandardCharsets.UTF_8).length;
        try {
            PlainSendResult result;
            if (item.jsonText() != null) {
                result = sender.sendJson(item.jsonText());
            } else if (item.bytes() != null) {
                result = sender.sendBytes(item.bytes());
            } else {
                result = sender.sendFile(item.file());
            }
            tally.confirmed(result.itemBytes());
            reporter.finished(ItemReport.sent(kind, item.name(), result.itemBytes(), receiver,
                    Duration.ofNanos(System.nanoTime() - startNs)).withDetail("plain mode, " + result.datagrams()
                    + (result.datagrams() == 1 ? " datagram" : " datagrams")
                    + (result.chunked() ? " (header + pieces)" : "") + ", each answered; not checked end to end"));
        } catch (PlainSendException e) {
            // Nothing answered yet and no error reply: there is no plain receiver there at all.
            int code = tally.confirmed() == 0 && e.receiverReply() == null ? ExitCodes.CANNOT_BIND_OR_REACH
                    : ExitCodes.TRANSFER_FAILED;
            tally.failed(e.getMessage(), code);
            reporter.finished(ItemReport.sendFailed(kind, item.name(), lengthBytes, receiver,
                    Duration.ofNanos(System.nanoTime() - startNs), e.getMessage()));
            throw new CliException(code, e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw CliException.badUsage(e.getMessage());
        }
    }

    private static String kind(Outgoing item) throws IOException {
        if (item.jsonText() != null) {
            return "json";
        }
        if (item.bytes() != null) {
            return item.kind();
        }
        byte[] head = new byte[64];
        int n;
        try (var in = Files.newInputStream(item.file())) {
            n = in.readNBytes(head, 0, head.length);
        }
        return ItemSniffer.imageExtension(head, 0, n) != null ? "image" : "file";
    }
}
