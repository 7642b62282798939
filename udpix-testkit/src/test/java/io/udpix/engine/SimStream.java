package io.udpix.engine;

import io.udpix.engine.connection.ConnectionStats;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.FrameAdmission;
import io.udpix.engine.stream.StreamParams;
import io.udpix.engine.stream.StreamStats;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.testkit.LinkPair;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Simulator;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test support: one client streams generated frames to one server through the simulator, and every frame is
 * checked the moment it is delivered. A frame is its index (u32), its length (u32) and bytes drawn from the seed
 * and the index, so the receiver can tell which frame it got and whether every byte is right without the sender's
 * help (the engine numbers frames itself and source drops skip indices). The simulator's clock is both endpoints'
 * clock, so the true capture-to-delivery latency is known exactly.
 *
 * <p>The stream opens once the connection is established; frame i is captured and handed to the engine at
 * open + i x interval; the client closes the stream one budget, two RTTs and 100 ms after the last one. A task
 * samples the sender's queue, the connection's bytes in flight, the server's reassembly memory and the forward
 * link's queue every 5 ms.
 */
final class SimStream {
    static final long MS = 1_000_000L;
    static final long SAMPLE_EVERY_NS = 5 * MS;
    /** Problems kept for the report (the first ones tell the story). */
    static final int MAX_VIOLATIONS = 20;

    final long seed;
    final Simulator sim;
    final Endpoint server;
    final Endpoint client;
    final InetSocketAddress serverAddress;
    final InetSocketAddress clientAddress;
    final LinkPair links;
    final StreamParams params;
    final int frames;
    final long intervalNs;
    final int minFrameBytes;
    final int maxFrameBytes;
    /**
     * How much later than the truth the receiver may place a capture time (see StreamScenario), beyond the
     * forward link's largest queueing delay so far (added when a frame is checked).
     */
    final long clockAllowanceNs;

    long connectionId = -1;
    int streamId = -1;
    long openedNs = -1;
    long closeAtNs = -1;
    final long[] captureNs;
    final boolean[] deliveredIndex;
    int handedFrames;
    int refusedFrames;
    int replacedFrames;

    StreamOpened serverOpened;
    StreamEnded serverEnded;
    StreamEnded clientEnded;
    final List<String> violations = new ArrayList<>();
    int delivered;
    int fecRecoveredDelivered;
    long lastFrameNumber = -1;
    int lastIndex = -1;
    long maxTrueLatencyNs;
    /** Receiver's capture time minus the true one, extremes over delivered frames (its clock offset's error). */
    long minCaptureErrorNs = Long.MAX_VALUE;
    long maxCaptureErrorNs = Long.MIN_VALUE;
    long maxReportedLatencyNs;
    final List<Long> trueLatenciesNs = new ArrayList<>();
    long deliveredBytes;

    int maxQueuedFrames;
    long maxBytesInFlight;
    /** The connection's largest bytes in flight from {@link #startUpNs} after the stream opened. */
    long maxBytesInFlightAfterStart;
    long maxReassemblyBytes;
    long maxLinkQueueBytes;
    long maxLinkQueueAtNs;
    /** The forward link's largest queue from {@link #startUpNs} after the stream opened. */
    long maxLinkQueueAfterStartBytes;
    /**
     * How long after the stream opened the congestion controller's start-up counts as over (for the "after the
     * start-up" figures); 1 s unless the test sets it.
     */
    long startUpNs = 1_000_000_000L;
    StreamStats lastSenderStats;
    /**
     * Spans of virtual time in which the connection's congestion window sat at its floor of 4 datagrams (BBR's
     * ProbeRTT, draft-cardwell-iccrg-bbr-congestion-control section 4.3.4.4: 200 ms every 10 s without a new
     * minimum RTT), as {start, end} pairs of sample times, at most MAX_FLOOR_SPANS.
     */
    final List<long[]> cwndFloorSpans = new ArrayList<>();
    static final int MAX_FLOOR_SPANS = 1_000;

    SimStream(long seed, LinkSpec up, LinkSpec down, StreamParams params, int frames, long intervalNs,
            int minFrameBytes, int maxFrameBytes, long clockAllowanceNs) {
        this(seed, up, down, params, frames, intervalNs, minFrameBytes, maxFrameBytes, clockAllowanceNs,
                EndpointConfig.builder(), EndpointConfig.builder());
    }

    SimStream(long seed, LinkSpec up, LinkSpec down, StreamParams params, int frames, long intervalNs,
            int minFrameBytes, int maxFrameBytes, long clockAllowanceNs, EndpointConfig.Builder serverConfig,
            EndpointConfig.Builder clientConfig) {
        if (minFrameBytes < 8 || maxFrameBytes < minFrameBytes) {
            throw new IllegalArgumentException("frames are 8 bytes or more, min <= max; got " + minFrameBytes + ".."
                    + maxFrameBytes);
        }
        this.seed = seed;
        this.params = params;
        this.frames = frames;
        this.intervalNs = intervalNs;
        this.minFrameBytes = minFrameBytes;
        this.maxFrameBytes = maxFrameBytes;
        this.clockAllowanceNs = clockAllowanceNs;
        this.captureNs = new long[frames];
        this.deliveredIndex = new boolean[frames];
        Arrays.fill(captureNs, -1);
        sim = new Simulator(seed);
        server = new Endpoint(serverConfig.acceptConnections(true).seed(seed * 31 + 7).build(),
                SinkFactory.refuseAll());
        client = new Endpoint(clientConfig.seed(seed * 17 + 3).build(), SinkFactory.refuseAll());
        serverAddress = sim.newAddress();
        clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        links = sim.routeBoth(clientAddress, serverAddress, up, down);
        sim.onEvents(clientAddress, this::onClientEvent);
        sim.onEvents(serverAddress, this::onServerEvent);
    }

    /** The length of frame {@code index}, from the seed. */
    int frameLength(int index) {
        return minFrameBytes + (int) (mix(seed, index, 1) % (maxFrameBytes - minFrameBytes + 1));
    }

    /** Frame {@code index}: index, length, then bytes from the seed and the index. */
    static byte[] frameBytes(long seed, int index, int length) {
        byte[] frame = new byte[length];
        SplittableRandom random = new SplittableRandom(mix(seed, index, 2));
        random.nextBytes(frame);
        ByteBuffer.wrap(frame).putInt(0, index).putInt(4, length);
        return frame;
    }

    private static long mix(long seed, int index, int salt) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return (z ^ (z >>> 31)) & Long.MAX_VALUE;
    }

    /** Connects at the current time; the stream opens when the connection is up. */
    void start() {
        connectionId = client.connect(serverAddress, sim.nowNs());
    }

    /** Runs until both sides saw the stream end, or {@code maxVirtualNs} passed. */
    RunResult run(long maxVirtualNs) {
        return sim.runUntil(this::over, maxVirtualNs);
    }

    boolean ended() {
        return serverEnded != null && clientEnded != null;
    }

    /** Ended, or openStream refused (nothing more will happen). */
    boolean over() {
        return ended() || (openedNs >= 0 && streamId < 0);
    }

    private void violation(String what) {
        if (violations.size() < MAX_VIOLATIONS) {
            violations.add(String.format(java.util.Locale.ROOT, "at %.3f ms: %s", sim.nowNs() / 1e6, what));
        }
    }

    private void onClientEvent(EndpointEvent e) {
        if (e instanceof ConnectionEstablished && openedNs < 0) {
            sim.addTask(sim.nowNs(), this::open);
        } else if (e instanceof StreamEnded ended && !ended.incoming()) {
            if (clientEnded != null) {
                violation("a second StreamEnded on the client: " + ended);
            }
            clientEnded = ended;
        }
    }

    private void open() {
        openedNs = sim.nowNs();
        streamId = client.openStream(connectionId, params, openedNs);
        if (streamId < 0) {
            violation("openStream refused the stream");
            return;
        }
        for (int i = 0; i < frames; i++) {
            int index = i;
            sim.addTask(openedNs + i * intervalNs, () -> sendFrame(index));
        }
        closeAtNs = openedNs + (frames - 1) * intervalNs + params.latencyBudgetNs()
                + 2 * (links.aToB().spec().delayNs() + links.bToA().spec().delayNs()) + 100 * MS;
        sim.addTask(closeAtNs, () -> client.closeStream(connectionId, streamId, false, sim.nowNs()));
        sim.addTask(openedNs, this::sample);
    }

    private void sendFrame(int index) {
        long nowNs = sim.nowNs();
        byte[] frame = frameBytes(seed, index, frameLength(index));
        captureNs[index] = nowNs;
        handedFrames++;
        FrameAdmission admission = client.sendFrame(connectionId, streamId, frame, nowNs, nowNs);
        if (admission == FrameAdmission.REFUSED) {
            refusedFrames++;
        } else if (admission == FrameAdmission.REPLACED_OLDER) {
            replacedFrames++;
        }
    }

    private void sample() {
        long nowNs = sim.nowNs();
        for (StreamStats s : client.allStreamStats(nowNs)) {
            if (!s.incoming() && s.streamId() == streamId) {
                maxQueuedFrames = Math.max(maxQueuedFrames, s.queuedFrames());
                lastSenderStats = s;
            }
        }
        ConnectionStats.Snapshot c = client.connectionStats(connectionId);
        if (c != null) {
            if (c.congestionWindowBytes() <= 4L * c.datagramBytes()) {
                long[] last = cwndFloorSpans.isEmpty() ? null : cwndFloorSpans.get(cwndFloorSpans.size() - 1);
                if (last != null && last[1] >= nowNs - SAMPLE_EVERY_NS) {
                    last[1] = nowNs;
                } else if (cwndFloorSpans.size() < MAX_FLOOR_SPANS) {
                    cwndFloorSpans.add(new long[] {nowNs, nowNs});
                }
            }
            maxBytesInFlight = Math.max(maxBytesInFlight, c.bytesInFlight());
            if (nowNs >= openedNs + startUpNs) {
                maxBytesInFlightAfterStart = Math.max(maxBytesInFlightAfterStart, c.bytesInFlight());
            }
        }
        maxReassemblyBytes = Math.max(maxReassemblyBytes, server.reassemblyBytesInUse());
        long queued = links.aToB().queuedBytes();
        if (queued > maxLinkQueueBytes) {
            maxLinkQueueBytes = queued;
            maxLinkQueueAtNs = nowNs;
        }
        if (nowNs >= openedNs + startUpNs) {
            maxLinkQueueAfterStartBytes = Math.max(maxLinkQueueAfterStartBytes, queued);
        }
        if (nowNs < closeAtNs) {
            sim.addTask(nowNs + SAMPLE_EVERY_NS, this::sample);
        }
    }

    private void onServerEvent(EndpointEvent e) {
        if (e instanceof StreamOpened opened && opened.incoming()) {
            if (serverOpened != null) {
                violation("a second StreamOpened on the server: " + opened);
            }
            serverOpened = opened;
        } else if (e instanceof FrameReceived frame) {
            onFrame(frame);
        } else if (e instanceof StreamEnded ended && ended.incoming()) {
            if (serverEnded != null) {
                violation("a second StreamEnded on the server: " + ended);
            }
            serverEnded = ended;
        }
    }

    private void onFrame(FrameReceived e) {
        long nowNs = sim.nowNs();
        if (serverOpened == null) {
            violation("frame " + e.frameNumber() + " before StreamOpened");
            return;
        }
        if (serverEnded != null) {
            violation("frame " + e.frameNumber() + " after StreamEnded");
        }
        byte[] data = e.data();
        if (data == null || data.length < 8) {
            violation("frame " + e.frameNumber() + " of " + (data == null ? "no" : data.length) + " bytes");
            return;
        }
        int index = ByteBuffer.wrap(data).getInt(0);
        if (index < 0 || index >= frames || captureNs[index] < 0) {
            violation("frame " + e.frameNumber() + " claims index " + index + ", never sent");
            return;
        }
        int length = frameLength(index);
        if (data.length != length || !Arrays.equals(data, frameBytes(seed, index, length))) {
            violation("frame " + e.frameNumber() + " (index " + index + ") is not byte-exact: " + data.length
                    + " bytes, expected " + length);
        }
        if (e.frameNumber() <= lastFrameNumber || index <= lastIndex) {
            violation("frame " + e.frameNumber() + " (index " + index + ") after frame " + lastFrameNumber
                    + " (index " + lastIndex + "): not in strictly increasing order");
        }
        lastFrameNumber = Math.max(lastFrameNumber, e.frameNumber());
        lastIndex = Math.max(lastIndex, index);
        long budgetNs = serverOpened.params().latencyBudgetNs();
        long trueLatencyNs = nowNs - captureNs[index];
        // A sample that waited in the link's queue looks like clock offset until a less-queued one arrives.
        long clockAllowanceNs = this.clockAllowanceNs + links.aToB().stats().queueDelay().maxNs();
        if (e.latencyNs() > budgetNs) {
            violation("frame " + e.frameNumber() + " delivered " + StreamScenario.ms(e.latencyNs())
                    + " after capture by the receiver's own clock, past its budget " + StreamScenario.ms(budgetNs));
        }
        if (trueLatencyNs > budgetNs + clockAllowanceNs) {
            violation("frame " + e.frameNumber() + " delivered " + StreamScenario.ms(trueLatencyNs)
                    + " after capture, past its deadline (budget " + StreamScenario.ms(budgetNs)
                    + " + clock allowance " + StreamScenario.ms(clockAllowanceNs) + ")");
        }
        if (e.captureNs() - captureNs[index] > clockAllowanceNs) {
            violation("frame " + e.frameNumber() + ": the receiver places its capture "
                    + StreamScenario.ms(e.captureNs() - captureNs[index]) + " late (allowance "
                    + StreamScenario.ms(clockAllowanceNs) + ")");
        }
        minCaptureErrorNs = Math.min(minCaptureErrorNs, e.captureNs() - captureNs[index]);
        maxCaptureErrorNs = Math.max(maxCaptureErrorNs, e.captureNs() - captureNs[index]);
        delivered++;
        deliveredIndex[index] = true;
        deliveredBytes += data.length;
        fecRecoveredDelivered += e.fecRecovered() ? 1 : 0;
        maxTrueLatencyNs = Math.max(maxTrueLatencyNs, trueLatencyNs);
        maxReportedLatencyNs = Math.max(maxReportedLatencyNs, e.latencyNs());
        trueLatenciesNs.add(trueLatencyNs);
    }

    /**
     * Frames captured outside the congestion window's floor spans (a frame captured up to {@code budgetNs} before
     * a span may still be on its way during it) and how many of them were delivered: {handed, delivered}.
     */
    int[] deliveredOutsideCwndFloor(long budgetNs) {
        int[] counts = new int[2];
        for (int i = 0; i < frames; i++) {
            if (captureNs[i] < 0) {
                continue;
            }
            boolean inside = false;
            for (long[] span : cwndFloorSpans) {
                inside |= captureNs[i] >= span[0] - budgetNs - SAMPLE_EVERY_NS && captureNs[i] <= span[1];
            }
            if (!inside) {
                counts[0]++;
                counts[1] += deliveredIndex[i] ? 1 : 0;
            }
        }
        return counts;
    }

    /** The cwnd floor spans as "start-end ms" for reports. */
    String cwndFloorSpansText() {
        StringBuilder sb = new StringBuilder();
        for (long[] span : cwndFloorSpans) {
            sb.append(sb.length() == 0 ? "" : ", ").append(span[0] / MS).append('-').append(span[1] / MS);
        }
        return sb.toString();
    }

    /** The first {@code max} frames handed but not delivered, as "index@capture ms". */
    String missing(int max) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (int i = 0; i < frames && n < max; i++) {
            if (captureNs[i] >= 0 && !deliveredIndex[i]) {
                sb.append(n++ == 0 ? "" : " ").append(i).append('@').append(captureNs[i] / MS);
            }
        }
        return sb.toString();
    }

    /** Frames handed to the engine at or after {@code fromNs}, and how many of them were delivered: {handed, delivered}. */
    int[] deliveredSince(long fromNs) {
        int[] counts = new int[2];
        for (int i = 0; i < frames; i++) {
            if (captureNs[i] >= fromNs) {
                counts[0]++;
                counts[1] += deliveredIndex[i] ? 1 : 0;
            }
        }
        return counts;
    }

    /** The true latency at {@code percent} (nearest rank) of delivered frames; 0 if none. */
    long trueLatencyPercentileNs(double percent) {
        if (trueLatenciesNs.isEmpty()) {
            return 0;
        }
        long[] sorted = trueLatenciesNs.stream().mapToLong(Long::longValue).sorted().toArray();
        int rank = (int) Math.ceil(sorted.length * percent / 100.0);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** The figures, for failure messages and printed reports. */
    String describe() {
        ConnectionStats.Snapshot c = connectionId < 0 ? null : client.connectionStats(connectionId);
        return "handed=" + handedFrames + " refused=" + refusedFrames + " replaced=" + replacedFrames + " delivered="
                + delivered + " (fec " + fecRecoveredDelivered + ") maxTrueLatency="
                + StreamScenario.ms(maxTrueLatencyNs) + " maxReportedLatency="
                + StreamScenario.ms(maxReportedLatencyNs) + " maxQueuedFrames=" + maxQueuedFrames
                + " maxBytesInFlight=" + maxBytesInFlight + " (after the start-up " + maxBytesInFlightAfterStart
                + ") maxReassemblyBytes=" + maxReassemblyBytes
                + " maxLinkQueueBytes=" + maxLinkQueueBytes + " (at " + StreamScenario.ms(maxLinkQueueAtNs)
                + ", after the start-up " + maxLinkQueueAfterStartBytes + ") opened at "
                + StreamScenario.ms(openedNs) + "\n  sender=" + (clientEnded != null
                ? clientEnded.stats() : lastSenderStats) + "\n  receiver=" + (serverEnded != null
                ? serverEnded.stats() : null) + "\n  clientEnded=" + (clientEnded == null ? null
                : clientEnded.errorCode() + " " + clientEnded.reason()) + " serverEnded=" + (serverEnded == null
                ? null : serverEnded.errorCode() + " " + serverEnded.reason()) + "\n  connection=" + c
                + "\n  uplink=" + links.aToB().stats() + "\n  downlink=" + links.bToA().stats()
                + "\n  client=" + client.stats() + "\n  server=" + server.stats()
                + "\n  not delivered (index@capture ms, first 40): " + missing(40) + "\n  cwnd at its floor (ms): "
                + cwndFloorSpansText() + "\n  violations=" + violations;
    }
}
