package io.udpix.bench.frames;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A peer's own end-of-run figures (its counters, not the harness's), as {@code key=value} pairs on one line: what
 * {@code FrameBench send/recv --figures FILE} writes and {@code FrameBench analyze --sender-figures/--receiver-figures}
 * reads. From them comes the one figure the wire counters cannot give: the <b>FEC + repair overhead</b>, parity plus
 * retransmitted bytes over the frame bytes handed to the peer (issue 11's target: at most 20% at 5% loss).
 *
 * <p>Sender keys (udpix's {@code StreamStats} of the sending side; SRT gives {@link #RETRANSMITTED_BYTES} only):
 * {@link #PARITY_BYTES}, {@link #RETRANSMITTED_BYTES}, {@code sentDataBytes}, {@code droppedAtSource},
 * {@code abandoned}, {@code retransmittedFragments}. Receiver keys: {@code fecRecovered}, {@code peerOnTime},
 * {@code peerLate}, {@code peerLost}, {@code receivedParityBytes}, {@code droppedSlowListener}.
 */
public final class PeerFigures {
    /** Sender: parity bytes put on the wire (FEC). */
    public static final String PARITY_BYTES = "sentParityBytes";
    /** Sender: frame bytes sent again (repairs). */
    public static final String RETRANSMITTED_BYTES = "retransmittedBytes";
    /** The computed overhead, in percent of the frame bytes handed over. */
    public static final String OVERHEAD_PERCENT = "repairOverheadPct";
    /** Figures kept at most; a peer has about ten, so more means a file that is not ours. */
    private static final int MAX_FIGURES = 64;

    private PeerFigures() {
    }

    /** Writes {@code figures} as one line of {@code key=value} pairs (no file is written when there are none). */
    public static void write(Path file, Map<String, String> figures) throws IOException {
        if (!figures.isEmpty()) {
            Files.writeString(file, line(figures) + "\n", StandardCharsets.UTF_8);
        }
    }

    /** {@code figures} as space-separated {@code key=value} pairs, in their order. */
    public static String line(Map<String, String> figures) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : figures.entrySet()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /**
     * What {@link #write} wrote; empty when {@code file} is null or absent (a peer without figures, or a run
     * whose peer failed before writing them).
     *
     * @throws IllegalArgumentException when a pair has no '=' or a key holds a space: not a figures file
     */
    public static Map<String, String> read(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        if (file == null || !Files.exists(file)) {
            return out;
        }
        for (String pair : Files.readString(file, StandardCharsets.UTF_8).trim().split("\\s+")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(file + " is not a figures file (\"" + pair
                        + "\" is no key=value pair); pass the file FrameBench send/recv --figures wrote");
            }
            if (out.size() >= MAX_FIGURES) {
                throw new IllegalArgumentException(file + " holds more than " + MAX_FIGURES
                        + " figures: not a figures file; pass the file FrameBench send/recv --figures wrote");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }

    /**
     * Parity plus retransmitted bytes over {@code handedBytes} (the frame bytes handed to the peer, warm-up frames
     * included, as the peer's counters see them), in percent; NaN when the sender gave neither figure or nothing was
     * handed over. A peer that gives only one of the two (SRT: no FEC) counts the other as 0.
     */
    public static double overheadPercent(Map<String, String> sender, long handedBytes) {
        String parity = sender.get(PARITY_BYTES);
        String repair = sender.get(RETRANSMITTED_BYTES);
        if ((parity == null && repair == null) || handedBytes <= 0) {
            return Double.NaN;
        }
        long extra = (parity == null ? 0 : Long.parseLong(parity)) + (repair == null ? 0 : Long.parseLong(repair));
        return 100.0 * extra / handedBytes;
    }

    /**
     * {@code analysisLine} (FrameAnalysis's key=value line) with the sender's and receiver's figures and the
     * overhead (when the sender gave its figures) appended.
     */
    public static String joined(String analysisLine, long handedBytes, Map<String, String> sender,
            Map<String, String> receiver) {
        Map<String, String> all = new LinkedHashMap<>(sender);
        all.putAll(receiver);
        double overhead = overheadPercent(sender, handedBytes);
        if (!Double.isNaN(overhead)) {
            all.put(OVERHEAD_PERCENT, String.format(Locale.ROOT, "%.2f", overhead));
        }
        return all.isEmpty() ? analysisLine : analysisLine + " " + line(all);
    }
}
