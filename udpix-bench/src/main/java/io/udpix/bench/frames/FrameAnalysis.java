package io.udpix.bench.frames;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Joins a run's send and receive logs into the figures of scenario 7, the same way for every peer:
 * <ul>
 *   <li>a frame is <b>complete</b> when a copy of it arrived with every byte as sent;</li>
 *   <li>it is <b>shown on time</b> when its first complete copy arrived within the budget of its capture time and
 *       no newer frame had been shown before it (a display never goes back);</li>
 *   <li>latency = arrival of the first complete copy - capture time, over complete frames (p50/p99/max by
 *       nearest rank); frames never complete have no latency and are counted lost.</li>
 * </ul>
 * Warm-up frames are left out of every figure but their bytes count in the payload (the wire counters see them).
 */
public final class FrameAnalysis {
    /** The figures of one run. */
    public record Result(int frames, int onTime, int complete, int late, int lost, int damagedPieces,
            int unknownPieces, int notHanded, double p50Ms, double p99Ms, double maxMs, long payloadBytes) {
        /** Share of measured frames shown complete and on time, in percent. */
        public double onTimePercent() {
            return frames == 0 ? 0 : 100.0 * onTime / frames;
        }

        /** One line of key=value pairs, what bench/run records. */
        public String line() {
            return String.format(Locale.ROOT,
                    "frames=%d onTime=%d onTimePct=%.2f complete=%d completePct=%.2f late=%d lost=%d damaged=%d "
                            + "unknown=%d notHanded=%d p50Ms=%.2f p99Ms=%.2f maxMs=%.2f payloadBytes=%d",
                    frames, onTime, onTimePercent(), complete, frames == 0 ? 0 : 100.0 * complete / frames, late, lost,
                    damagedPieces, unknownPieces, notHanded, p50Ms, p99Ms, maxMs, payloadBytes);
        }
    }

    private FrameAnalysis() {
    }

    /** The figures for {@code sent} and {@code received} with a latency budget of {@code budgetUs}. */
    public static Result analyze(List<SendLog.Entry> sent, List<ReceiveLog.Record> received, long budgetUs) {
        Map<Long, SendLog.Entry> bySequence = new HashMap<>();
        Map<Integer, List<SendLog.Entry>> byImage = new HashMap<>();
        long payload = 0;
        int frames = 0;
        int notHanded = 0;
        for (SendLog.Entry e : sent) {
            bySequence.put(e.sequence(), e);
            byImage.computeIfAbsent(e.image(), k -> new ArrayList<>()).add(e);
            if (e.handedUs() != 0) {
                payload += e.bytes();
            }
            if (!e.warmUp()) {
                frames++;
                if (e.handedUs() == 0) {
                    notHanded++;
                }
            }
        }
        for (List<SendLog.Entry> l : byImage.values()) {
            l.sort(Comparator.comparingLong(SendLog.Entry::captureUs));
        }
        List<ReceiveLog.Record> inOrder = new ArrayList<>(received);
        inOrder.sort(Comparator.comparingLong(ReceiveLog.Record::arrivalUs));
        Set<Long> complete = new HashSet<>();
        List<Long> latenciesUs = new ArrayList<>();
        long lastShown = -1;
        int onTime = 0;
        int late = 0;
        int damaged = 0;
        int unknown = 0;
        for (ReceiveLog.Record r : inOrder) {
            SendLog.Entry e = switch (r.kind()) {
                case INTACT -> bySequence.get(r.sequence());
                case INTACT_SCAN -> latestBefore(byImage.get(r.image()), r.arrivalUs());
                case DAMAGED -> {
                    SendLog.Entry d = bySequence.get(r.sequence());
                    if (d == null || !d.warmUp()) {
                        damaged++;
                    }
                    yield null;
                }
                case UNKNOWN -> {
                    unknown++;
                    yield null;
                }
            };
            if (e == null) {
                if (r.kind() == ReceiveLog.Kind.INTACT || r.kind() == ReceiveLog.Kind.INTACT_SCAN) {
                    unknown++; // intact, but of no frame this run sent
                }
                continue;
            }
            if (r.kind() == ReceiveLog.Kind.INTACT && r.captureUs() != e.captureUs()) {
                damaged++; // the tag's capture time is not the one sent with that number
                continue;
            }
            if (e.warmUp() || !complete.add(e.sequence())) {
                continue;
            }
            long latencyUs = r.arrivalUs() - e.captureUs();
            latenciesUs.add(latencyUs);
            if (latencyUs > budgetUs) {
                late++;
            }
            if (e.sequence() > lastShown) {
                if (latencyUs <= budgetUs) {
                    onTime++;
                }
                lastShown = e.sequence();
            }
        }
        long[] l = latenciesUs.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(frames, onTime, complete.size(), late, frames - complete.size(), damaged, unknown, notHanded,
                percentileMs(l, 0.50), percentileMs(l, 0.99), l.length == 0 ? Double.NaN : l[l.length - 1] / 1000.0,
                payload);
    }

    /** The frame of {@code candidates} (sorted by capture) captured last at or before {@code arrivalUs}. */
    private static SendLog.Entry latestBefore(List<SendLog.Entry> candidates, long arrivalUs) {
        if (candidates == null) {
            return null;
        }
        SendLog.Entry best = null;
        for (SendLog.Entry e : candidates) {
            if (e.captureUs() > arrivalUs) {
                break;
            }
            best = e;
        }
        return best;
    }

    /** Nearest-rank percentile of sorted microseconds, in milliseconds; NaN when empty. */
    static double percentileMs(long[] sortedUs, double p) {
        if (sortedUs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sortedUs.length);
        return sortedUs[Math.max(0, Math.min(sortedUs.length - 1, rank - 1))] / 1000.0;
    }

    /** For tests: nearest-rank percentile of the given microseconds. */
    static double percentileMsOf(double p, long... us) {
        long[] s = us.clone();
        Arrays.sort(s);
        return percentileMs(s, p);
    }
}
