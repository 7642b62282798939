package io.udpix.engine.cc;

import io.udpix.engine.recovery.SentPacket;

/**
 * BBR version 1 (draft-cardwell-iccrg-bbr-congestion-control-00, "the draft" below; Linux tcp_bbr.c): a model of
 * the path (bottleneck bandwidth, round-trip propagation time) sets the pacing rate and the window, so random,
 * non-congestive loss does not shrink them.
 *
 * <p>udpix's additions, in the spirit of BBRv2 (draft-cardwell-iccrg-bbr-congestion-control-02), make it back off
 * when its own queue builds and share a bottleneck fairly: (1) a round with a high loss rate <em>and</em> an
 * inflated RTT (its largest sample less the receiver's ACK delay: an overflowing queue, not random loss) caps
 * inflight at the estimated BDP and ends STARTUP (a loss a later ACK showed spurious, {@link #onSpuriousLoss},
 * does not count);
 * (2) a gain cycle in which RTT never came near RTprop (a standing queue) caps inflight at 85% of the BDP after
 * the next probe up; (3) PROBE_BW's window is 1.5 x BDP rather than 2 x; (4) the cruise length is random per
 * cycle. Each cap is lifted when the next probe up begins.
 *
 * <p>Ramp-up on lossy long links (issue 13): (5) random loss is not congestion: the path is offered the estimate /
 * (1 - {@link RandomLossFloor}), the loss rate every recent round showed without a queue, so a 5%-lossy link is
 * kept full rather than 5% idle; (6) STARTUP starts from half the bottleneck rate the first flight's ACK spacing
 * shows ({@link FirstFlightTrain}) instead of doubling up from the initial window for five round trips; (7)
 * STARTUP's window gain is BBRv3's 2.
 *
 * <p>Cold endpoints (issue 13): (8) an endpoint's pause (a JIT compile, a GC, a run-queue wait; {@link StallDetector})
 * is not a full pipe: the rounds it spoils count neither towards the full-pipe exit nor as delay or overflow evidence;
 * (9) after a STARTUP exit with a pause seen, each probe up that finds room is followed at once by one with twice the
 * step ({@link ProbeUpRamp}, after BBRv3's PROBE_UP).
 */
public final class Bbr implements CongestionController {

    /** BBR's modes (the draft, section 3.4). */
    public enum Mode {
        /** Exponential search for the bottleneck bandwidth. */
        STARTUP,
        /** Drains the queue STARTUP built. */
        DRAIN,
        /** Cruises at the estimated bandwidth, probing up and down in a cycle of 6 to 10 phases. */
        PROBE_BW,
        /** Shrinks inflight to 4 packets to re-measure the propagation RTT. */
        PROBE_RTT
    }

    private static final long NS_PER_SECOND = 1_000_000_000L;
    /** The draft, section 4.3.1.1 (BBRHighGain): 2/ln 2, the smallest gain that doubles the rate per round. */
    static final double STARTUP_GAIN = 2.0 / Math.log(2.0);
    /**
     * STARTUP's window gain: BBRv3's BBRStartupCwndGain (draft-ietf-ccwg-bbr, "Startup"), not BBRv1's 2/ln 2. The
     * pacing gain alone doubles the rate per round; the window only has to cover one BDP of data in flight plus
     * one of ACK lag. At 2.89 x BDP a sender that sees the delay rise one round late has put nearly 3 BDP in flight
     * and overflows a one-BDP drop-tail buffer by most of a BDP (RampUpTest: about 640 packets dropped at 100 Mbit/s
     * and 100 ms), each of which then holds up in-order delivery for a round trip.
     */
    static final double STARTUP_CWND_GAIN = 2.0;
    /** The draft, section 4.3.2: the inverse of the STARTUP gain drains its queue in about one round. */
    static final double DRAIN_GAIN = Math.log(2.0) / 2.0;
    /** The draft, section 4.3.3 (BBRGainCycle): probe up by 25%, drain it, cruise for 6 phases. */
    static final double[] PROBE_BW_GAINS = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
    /**
     * udpix: each cycle cruises for 4 to 8 phases at random (6 on average, as in BBRv1). With a fixed cycle,
     * flows on a jitter-free path lock their probes together, so no flow ever probes alone and shares never
     * converge; BBRv2 randomises its probe timing for the same reason
     * (draft-cardwell-iccrg-bbr-congestion-control-02, section 4.3.3.5, BBRPickProbeWait).
     */
    static final int CRUISE_PHASES_MIN = 4;
    static final int CRUISE_PHASES_RANDOM_RANGE = 5;
    /**
     * BBRv1 (the draft, section 4.3.3; Linux bbr_cwnd_gain) uses 2 x BDP. udpix takes the task's 1.5: with a
     * 1-BDP drop-tail buffer, two flows that each overestimate their share by 10% then still fit in the buffer
     * (2 x 2 x 0.55 BDP would overflow it), while pacing, not the window, sets the rate of a single flow.
     */
    static final double PROBE_BW_CWND_GAIN = 1.5;
    /** The draft, section 4.3.3.5 (and Linux bbr_cycle_rand): random phase start in [0, 6] from the end. */
    private static final int CYCLE_RANDOM_RANGE = 7;
    /** The draft, section 4.1.1 (BtlBwFilterLen): the gain cycle plus 2 round trips. */
    static final int BANDWIDTH_FILTER_ROUNDS = 10;
    /** The draft, section 4.1.2 (RTpropFilterLen). */
    static final long RTPROP_FILTER_NS = 10_000_000_000L;
    /** The draft, section 4.3.4 (ProbeRTTDuration). */
    static final long PROBE_RTT_DURATION_NS = 200_000_000L;
    /** The draft, section 4.3.4 (BBRMinPipeCwnd): 4 packets keep ACK clocking with delayed ACKs. */
    static final int MIN_PIPE_CWND_PACKETS = 4;
    /** Chromium QUIC's kInitialCongestionWindow (32 packets); the task's requirement for udpix. */
    static final int INITIAL_CWND_PACKETS = 32;
    /** The draft, section 4.3.1.2: bandwidth must grow by 25% per round ... */
    static final double FULL_BW_GROWTH = 1.25;
    /** ... or after 3 rounds without it the pipe is full. */
    static final int FULL_BW_ROUNDS = 3;
    /** Linux bbr_pacing_margin_percent: pace 1% below the estimate so that no queue builds at gain 1. */
    static final double PACING_MARGIN = 1.0;
    /** The draft, section 4.2.2: nominal RTT before any sample, for the initial pacing rate. */
    static final long NOMINAL_RTT_NS = 1_000_000L;
    /** The draft, section 4.2.2: send quantum thresholds, 1.2 Mbit/s and 24 Mbit/s, and its 64 KB cap. */
    private static final long QUANTUM_LOW_RATE_BYTES_PER_SECOND = 150_000L;
    private static final long QUANTUM_HIGH_RATE_BYTES_PER_SECOND = 3_000_000L;
    private static final long QUANTUM_MAX_BYTES = 65_536L;
    /**
     * STARTUP starts from this share of the first flight's packet-train rate ({@link FirstFlightTrain}): half, so
     * that the STARTUP gain (2.89) paces at 1.44 x the train's rate while the STARTUP window (gain 2) holds one
     * train BDP: the next round fills an idle bottleneck and queues at most what the window allows beyond its BDP,
     * and STARTUP's usual checks take it from there. A train measures the bottleneck's capacity, not the share
     * other flows leave; on a busy link the first flight's ACKs come back further apart (other flows' packets sit
     * between them), so the jump is smaller there.
     */
    static final double TRAIN_SHARE = 0.5;
    /**
     * ... and never more than 16 initial windows per RTprop (four doublings of STARTUP), which bounds what ACK
     * compression (a receiver or path that bunches ACKs) can make the train claim.
     */
    static final int TRAIN_MAX_INITIAL_WINDOWS = 16;
    /** The draft, section 4.2.3.2 (BBRUpdateTargetCwnd): 3 send quanta allow for ACK aggregation. */
    private static final int QUANTA_IN_TARGET = 3;
    /**
     * Queue-overflow guard (udpix): a round losing more than this fraction is not random loss. BBRv2 uses 2%
     * (BBRLossThresh), but udpix must keep a 2%-lossy link busy, so the bar is set well above random loss.
     */
    static final double OVERFLOW_LOSS_FRACTION = 0.10;
    /**
     * Queue-overflow guard (udpix): a round's loss counts as our own queue's only when some RTT sample of that round
     * exceeded 1.25 x min RTT.
     */
    static final double OVERFLOW_RTT_INFLATION = 1.25;
    /**
     * Share of the BDP left free under the standing-queue cap: BBRv2's BBRHeadroom (0.15,
     * draft-cardwell-iccrg-bbr-congestion-control-02 section 4.6.4.2), which it leaves "to allow entering flows to
     * grab bandwidth". In the test bottleneck a cap at exactly 1 x BDP left 2-3% of two-flow runs outside 25% of
     * each other after 60 s; with the headroom the worst of 200 seeded runs was within 17%.
     */
    static final double STANDING_QUEUE_HEADROOM = 0.15;

    /**
     * udpix: an app-limited STARTUP round of at least 4 datagrams whose largest RTT (less the receiver's ACK delay)
     * stood above RTprop (the overflow guard's 1.25) by a queue, at the estimated bandwidth, of at least this share of
     * what the round delivered, queued its own bursts at the bottleneck: the path, not the application, set its
     * delivery rate. An app-limited sender (a frame stream) sends each frame as one burst at STARTUP's pacing rate,
     * which starts from the initial window per RTT and is never lowered before the pipe is full (the draft, section
     * 4.2.1); its rounds are app-limited, so the pipe is never found full either. On a 1.2 Mbit/s, 7.6 ms path it kept
     * pacing 15 KB frames at 65 Mbit/s for 2.6 s, a queue of up to 35 KB (RandomStreamScenariosTest seed 5000027313);
     * on a 5.9 Mbit/s one with a 15 KB drop-tail queue it lost the tail of each of the first four frames (seed
     * 7000000045924). Such a round counts towards the full-pipe check like one that is not app-limited (BBRv3's
     * draft-ietf-ccwg-bbr skips app-limited rounds because they may underestimate the bandwidth; a queued burst does
     * not), and STARTUP's pacing comes down to its gain times the estimate. A small round's largest RTT says little: on
     * a 1 Gbit/s, 9 ms path a 1.6 Mbit/s stream of 2-3 datagram frames showed RTTs 12-14 ms above RTprop (no queue of
     * its own: 2-3 datagrams take 40 us there) at its own app-limited estimate of 3 Mbit/s, left STARTUP, paced at that
     * estimate, and 23 of 54 frames arrived instead of 54 (seed 9100002558): hence the 4 datagrams and the ACK delay
     * taken off. Rounds that are not app-limited are left to BBR's own checks: a bulk transfer that STARTUP began from
     * the first flight's train (at 1.44 x the train's rate) queues while its estimate still climbs, and lowering its
     * pacing then cost RampUpTest's 16 MiB at 50 ms, 2% 0.826 -> 0.765 of the link.
     */
    static final double BURST_QUEUE_SHARE = 0.5;

    private final DeliveryRateSampler sampler = new DeliveryRateSampler();
    private final WindowedMaxFilter bandwidthFilter = new WindowedMaxFilter(BANDWIDTH_FILTER_ROUNDS);
    /** Random loss is not congestion: the path is offered the delivery rate / (1 - floor), see the class. */
    private final RandomLossFloor lossFloor = new RandomLossFloor();
    /** The connection's first flight, whose ACK spacing shows the bottleneck's rate (once per connection). */
    private final FirstFlightTrain firstFlight = new FirstFlightTrain();
    /** An endpoint's pause (a cold JVM's) is not a full pipe: see {@link StallDetector} and checkFullPipe. */
    private final StallDetector stallDetector = new StallDetector();
    /** Whether the current round saw a pause or samples it spoiled. */
    private boolean roundStalled;
    /** The ACK delay the receiver reported with the current ACK's RTT sample (0 when none). */
    private long ackDelayNs;
    /** Whether the round that just ended did (valid at a round start). */
    private boolean endedRoundStalled;
    /** Faster probing up after a STARTUP exit that pauses make suspect (see {@link ProbeUpRamp}). */
    private final ProbeUpRamp probeUpRamp = new ProbeUpRamp();
    /** Whether STARTUP ended on delay (DelayIncreaseDetector), which a path's own jitter can cause. */
    private boolean exitedOnDelay;
    /**
     * Whether the round that just ended (valid at a round start, in STARTUP) queued its own bursts at the bottleneck:
     * see {@link #BURST_QUEUE_SHARE}.
     */
    private boolean endedRoundQueued;
    /** Whether the current drain phase follows a ramped probe (gain above 1.25): it drains to the BDP. */
    private boolean deepDrain;
    private long randomState;

    private int maxDatagramBytes;
    private long cwndBytes;
    private long priorCwndBytes;
    private long pacingRateBytesPerSecond;
    private long sendQuantumBytes;
    private Mode mode;
    private double pacingGain;
    private double cwndGain;

    private long bandwidthBytesPerSecond;
    private long roundCount;
    private long nextRoundDeliveredBytes;
    private boolean roundStart;
    private long roundAckedBytes;
    private long roundLostBytes;
    /** When the current round began (an ACK that started it), for {@link #onSpuriousLoss}. */
    private long roundStartedNs;
    private long inflightCapBytes = Long.MAX_VALUE;

    private long rtPropNs = Long.MAX_VALUE;
    private long rtPropStampNs;
    /**
     * Largest RTT sample since the current round began, each less the receiver's ACK delay (RFC 9002 section 5.3):
     * the evidence of a queue for the overflow guard and BURST_QUEUE_SHARE. The packet just before a drop-tail
     * overflow saw the full queue, but the sample that happens to close the round often did not, and on a shallow
     * queue (a few datagrams) only the fullest moment shows the inflation. The ACK delay is the receiver's time, not
     * a queue's: see checkQueueOverflow.
     */
    private long roundMaxBurstRttNs = -1;
    private long lastBurstRttNs = -1;
    /** Smallest RTT sample since the current PROBE_BW gain cycle began. */
    private long cycleMinRttNs = Long.MAX_VALUE;
    /** Whether the last gain cycle never saw an RTT near RTprop (a queue that outlived the drain phase). */
    private boolean standingQueue;
    private long pathMinRttNs = -1;

    private boolean filledPipe;
    private final DelayIncreaseDetector delayIncrease = new DelayIncreaseDetector();
    private long fullBandwidthBytesPerSecond;
    private int fullBandwidthRounds;
    private int cycleIndex;
    /** Phases in the current gain cycle: probe up, probe down, then the cruise phases. */
    private int cycleLength = PROBE_BW_GAINS.length;
    private long cycleStampNs;
    private boolean probeRttDoneStampSet;
    private long probeRttDoneStampNs;
    private boolean probeRttRoundDone;
    private boolean idleRestart;

    /**
     * A controller for one connection.
     *
     * @param seed seeds the random start phase of the PROBE_BW gain cycle
     */
    public Bbr(int maxDatagramBytes, long nowNs, long seed) {
        if (maxDatagramBytes <= 0) {
            throw new IllegalArgumentException("max datagram size must be positive, got " + maxDatagramBytes);
        }
        this.maxDatagramBytes = maxDatagramBytes;
        this.randomState = seed;
        startFresh(nowNs);
    }

    /** The draft, section 4.2 (BBRInit): STARTUP, initial window, pacing from the nominal RTT. */
    private void startFresh(long nowNs) {
        bandwidthFilter.reset(roundCount, 0);
        lossFloor.reset(roundCount);
        bandwidthBytesPerSecond = 0;
        rtPropNs = Long.MAX_VALUE;
        rtPropStampNs = nowNs;
        roundMaxBurstRttNs = -1;
        lastBurstRttNs = -1;
        cycleMinRttNs = Long.MAX_VALUE;
        standingQueue = false;
        inflightCapBytes = Long.MAX_VALUE;
        nextRoundDeliveredBytes = sampler.deliveredBytes();
        roundStart = false;
        roundAckedBytes = 0;
        roundLostBytes = 0;
        filledPipe = false;
        fullBandwidthBytesPerSecond = 0;
        fullBandwidthRounds = 0;
        probeRttDoneStampSet = false;
        probeRttRoundDone = false;
        idleRestart = false;
        cycleIndex = 0;
        cycleStampNs = nowNs;
        cwndBytes = initialCwndBytes();
        priorCwndBytes = cwndBytes;
        delayIncrease.reset();
        enterStartup();
        setInitialPacingRate();
    }

    /** The draft, section 4.2.1 (BBRInitPacingRate): the initial window per RTT, at the STARTUP gain. */
    private void setInitialPacingRate() {
        long rttNs = pathMinRttNs > 0 ? pathMinRttNs : NOMINAL_RTT_NS;
        pacingRateBytesPerSecond = Math.max(1L,
                (long) (pacingGain * initialCwndBytes() * (double) NS_PER_SECOND / rttNs));
        updateSendQuantum();
    }

    @Override
    public void onPacketSent(SentPacket packet, long nowNs, long bytesInFlightBefore) {
        if (bytesInFlightBefore == 0 && sampler.isAppLimited()) {
            // The draft, section 4.3.3.4 (BBRHandleRestartFromIdle): after idle, resume at the estimated rate
            // rather than at a probing gain, and do not let the idle period trigger PROBE_RTT.
            idleRestart = true;
            if (mode == Mode.PROBE_BW && bandwidthBytesPerSecond > 0) {
                pacingRateBytesPerSecond = Math.max(1L, (long) (bandwidthBytesPerSecond * PACING_MARGIN));
            }
        }
        sampler.onPacketSent(packet, bytesInFlightBefore);
    }

    @Override
    public void onPacketAcked(SentPacket packet, long nowNs) {
        sampler.onPacketAcked(packet, nowNs);
        roundAckedBytes += packet.sizeBytes;
        lossFloor.onAcked(packet.sizeBytes);
    }

    @Override
    public void onPacketLost(SentPacket packet, long nowNs) {
        // BBRv1 ignores loss in its model; loss only counts for the overflow guard and the cwnd deduction.
        sampler.onPacketLost(packet);
        roundLostBytes += packet.sizeBytes;
        lossFloor.onLost(packet.sizeBytes);
    }

    /**
     * udpix: a loss declared in the current round that an ACK then showed spurious (a duplicate overtaking a first
     * flight, reordering beyond the packet threshold) leaves the overflow guard's count: no queue dropped it. Without
     * this, a stream whose first flight a duplicate overtook on a reordering path (RandomStreamScenariosTest seed
     * 8407937040819438312: 14 of 35 packets "lost", one reordered RTT sample 1.28 x RTprop) ended STARTUP at 2 Mbit/s
     * on a 54 Mbit/s link, and plain PROBE_BW did not find the rate before the stream ended. Earlier rounds' counts
     * are already judged; the cwnd deduction and the random-loss floor are left as they are (BBRv1 keeps no undo).
     */
    @Override
    public void onSpuriousLoss(int sizeBytes, long lostAtNs) {
        if (lostAtNs > roundStartedNs) { // losses at the round's first ACK were counted in the round it ended
            roundLostBytes = Math.max(0, roundLostBytes - sizeBytes);
        }
    }

    @Override
    public void onAckDelay(long ackDelayNs) {
        this.ackDelayNs = Math.max(0, ackDelayNs);
    }

    @Override
    public void onAckProcessed(long nowNs, long latestRttNs, long minRttNs, long bytesInFlight) {
        if (minRttNs > 0 && minRttNs != Long.MAX_VALUE) {
            if (pathMinRttNs <= 0 && mode == Mode.STARTUP && bandwidthBytesPerSecond == 0) {
                // The first RTT sample replaces the nominal 1 ms the initial pacing rate assumed (the draft's
                // BBRInitPacingRate uses SRTT when it has one). Without this, STARTUP's "never lower the rate"
                // keeps pacing at the initial window per millisecond: line-rate bursts into the bottleneck.
                pathMinRttNs = minRttNs;
                setInitialPacingRate();
            }
            pathMinRttNs = minRttNs;
        }
        boolean stalled = false;
        if (sampler.sampleHasData()) {
            stalled = stallDetector.onAck(nowNs, latestRttNs, ackDelayNs, rtPropNs, sampler.deliveredBytes(),
                    bytesInFlight) || stallDetector.suspected(sampler.deliveredBytes());
            roundStalled |= stalled;
        }
        if (latestRttNs > 0) {
            cycleMinRttNs = Math.min(cycleMinRttNs, latestRttNs);
            if (!stalled) {
                // A pause's inflated samples say nothing about a queue building (see checkFullPipe).
                delayIncrease.onRttSample(latestRttNs);
                probeUpRamp.onRttSample(latestRttNs);
            }
            // RFC 9002 section 5.3: the receiver's reported ACK delay is not path delay (a lone last packet of a
            // burst waits for the delayed-ACK timer), as long as the sample stays above the path's minimum.
            lastBurstRttNs = Math.max(Math.min(latestRttNs, rtPropNs), latestRttNs - ackDelayNs);
            if (!stalled) {
                roundMaxBurstRttNs = Math.max(roundMaxBurstRttNs, lastBurstRttNs);
            }
            lossFloor.onRttSample(latestRttNs);
        }
        ackDelayNs = 0;
        sampler.generateRateSample(minRttNs);
        long ackedBytes = sampler.sampleAckedBytes();
        long lostBytes = sampler.sampleLostBytes();
        long priorInflightBytes = bytesInFlight + ackedBytes + lostBytes;

        // The draft, section 4.5 (BBRUpdateModelAndState), in its order.
        updateRound();
        if (roundStart) {
            roundStartedNs = nowNs;
        }
        checkQueueOverflow();
        updateBandwidth();
        checkCyclePhase(nowNs, priorInflightBytes, lostBytes);
        checkFullPipe();
        checkDrain(nowNs, bytesInFlight);
        boolean rtPropExpired = updateRtProp(nowNs, latestRttNs);
        checkProbeRtt(nowNs, bytesInFlight, rtPropExpired);
        startFromFirstFlight(nowNs, latestRttNs, minRttNs);
        // The draft, section 4.5 (BBRUpdateControlParameters).
        updatePacingRate();
        updateSendQuantum();
        updateCwnd(ackedBytes, lostBytes);
    }

    /** The draft, section 4.1.1.3 (BBRUpdateRound): a round ends when a packet sent after its start is acked. */
    private void updateRound() {
        roundStart = false;
        if (sampler.sampleHasData() && sampler.samplePriorDeliveredBytes() >= nextRoundDeliveredBytes) {
            delayIncrease.onRoundStart();
            nextRoundDeliveredBytes = sampler.deliveredBytes();
            roundCount++;
            roundStart = true;
            endedRoundStalled = roundStalled;
            roundStalled = stallDetector.suspected(sampler.deliveredBytes());
            lossFloor.onRoundEnd(roundCount, rtPropNs, maxDatagramBytes);
        }
    }

    /**
     * udpix's guard (after BBRv2's inflight_hi, draft-cardwell-iccrg-bbr-congestion-control-02 section 4.5.10):
     * random loss leaves RTT alone, but an overflowing queue both drops a large share and inflates RTT. Then
     * inflight is capped at the estimated BDP (until the next probe up) and STARTUP ends. The RTT judged is the
     * round's largest: on a queue of a few datagrams only the packets just before a drop wait long, and the ACK
     * that closes the round usually comes after the queue drained. This matters most to an app-limited frame
     * stream, which never fills the pipe and so never leaves STARTUP by bandwidth: it would keep pacing its
     * frames at the initial window per RTT x 2.89 (84 Mbit/s at 10.6 ms RTT) into, say, an 8.5 Mbit/s link with a
     * 6 KB queue, losing the tail of every large frame. Each sample is taken less the receiver's reported ACK delay
     * (RFC 9002 section 5.3), which is the receiver's time, not a queue: the first flight's last packet waits for
     * the delayed-ACK timer, and on a 259 Mbit/s, 44 ms path that sample alone (79 ms, 25 of it ACK delay, against
     * an RTprop of 51.5 ms) read as a queue in the round whose closing ACK declared 58 packets lost that a
     * duplicate had overtaken (all arrived): STARTUP ended at 5.5 Mbit/s for a 28 Mbit/s stream and 3 of the 5
     * frames after the start-up arrived (RandomStreamScenariosTest seed 31000019423).
     */
    private void checkQueueOverflow() {
        if (!roundStart) {
            return;
        }
        long totalBytes = roundAckedBytes + roundLostBytes;
        boolean heavyLoss = totalBytes > 0 && roundLostBytes > OVERFLOW_LOSS_FRACTION * totalBytes;
        boolean rttInflated = rtPropNs != Long.MAX_VALUE && roundMaxBurstRttNs > OVERFLOW_RTT_INFLATION * rtPropNs;
        endedRoundQueued = mode == Mode.STARTUP && sampler.sampleAppLimited() && rtPropNs != Long.MAX_VALUE
                && roundMaxBurstRttNs > OVERFLOW_RTT_INFLATION * rtPropNs && bandwidthBytesPerSecond > 0
                && !endedRoundStalled && roundAckedBytes >= minPipeCwndBytes()
                && (roundMaxBurstRttNs - rtPropNs) * (double) bandwidthBytesPerSecond / NS_PER_SECOND
                        >= BURST_QUEUE_SHARE * roundAckedBytes;
        roundMaxBurstRttNs = roundStalled ? -1 : lastBurstRttNs;
        roundAckedBytes = 0;
        roundLostBytes = 0;
        // A pause at the receiver makes the sender declare the packets it holds lost (their ACKs are late), and
        // inflates RTT: no queue overflowed (StallDetector).
        if (heavyLoss && rttInflated && bandwidthBytesPerSecond > 0 && !endedRoundStalled) {
            inflightCapBytes = Math.max(minPipeCwndBytes(), inflightBytes(1.0));
            filledPipe = true;
        }
    }

    /** The draft, section 4.1.1.5 (BBRUpdateBtlBw): app-limited samples count only if they raise the maximum. */
    private void updateBandwidth() {
        if (!sampler.sampleValid()) {
            return;
        }
        long rate = sampler.sampleRateBytesPerSecond();
        if (rate >= bandwidthBytesPerSecond || !sampler.sampleAppLimited()) {
            bandwidthBytesPerSecond = bandwidthFilter.update(roundCount, rate);
        }
    }

    /** The draft, section 4.3.3.6 (BBRCheckCyclePhase / BBRIsNextCyclePhase). */
    private void checkCyclePhase(long nowNs, long priorInflightBytes, long lostBytes) {
        if (mode != Mode.PROBE_BW) {
            return;
        }
        if (roundStart && probeUpRamp.onRoundEnd(bandwidthBytesPerSecond, rtPropNs, endedRoundStalled)) {
            // The last probe found room after a suspect STARTUP exit: probe again now, with twice the step.
            cycleIndex = cycleLength - 1;
            advanceCyclePhase(nowNs);
            return;
        }
        boolean fullLength = rtPropNs != Long.MAX_VALUE && nowNs - cycleStampNs > rtPropNs;
        boolean next;
        if (pacingGain == 1.0) {
            next = fullLength;
        } else if (pacingGain > 1.0) {
            // Probe up until inflight reached the probing BDP, or until loss says the pipe is full.
            // (A cap from the overflow guard can make the probing BDP unreachable: the cap then counts as reached.)
            // A capped probe cannot raise inflight at all (cwnd stops at the cap, a little below it once ACK timing
            // is counted), so it ends after one RTprop; waiting to reach the cap could stall the cycle for good.
            long probeTargetBytes = Math.min(inflightBytes(pacingGain), inflightCapBytes);
            next = fullLength && (lostBytes > 0 || priorInflightBytes >= probeTargetBytes
                    || inflightCapBytes != Long.MAX_VALUE);
        } else {
            // Drain phase: leave early once the queue the probe built is gone (after a ramped probe, only then).
            next = (fullLength && !deepDrain) || priorInflightBytes <= inflightBytes(1.0);
        }
        if (next) {
            advanceCyclePhase(nowNs);
        }
    }

    private void advanceCyclePhase(long nowNs) {
        cycleStampNs = nowNs;
        cycleIndex = (cycleIndex + 1) % cycleLength;
        double lastGain = pacingGain;
        pacingGain = PROBE_BW_GAINS[Math.min(cycleIndex, PROBE_BW_GAINS.length - 1)];
        cwndGain = PROBE_BW_CWND_GAIN;
        deepDrain = false;
        if (cycleIndex == 0) {
            pacingGain = probeUpRamp.onProbeStart(bandwidthBytesPerSecond);
            // A ramped probe must be able to put gain x BDP in flight (STARTUP's window gain at most).
            cwndGain = Math.max(PROBE_BW_CWND_GAIN, Math.min(STARTUP_CWND_GAIN, pacingGain));
        } else if (cycleIndex == 1 && lastGain > PROBE_BW_GAINS[0]) {
            // After a ramped probe the queue may be up to (gain - 1) BDP: drain it as DRAIN does, to the BDP.
            pacingGain = DRAIN_GAIN;
            deepDrain = true;
        }
        if (cycleIndex == 0) {
            cycleLength = 2 + CRUISE_PHASES_MIN + nextRandomBelow(CRUISE_PHASES_RANDOM_RANGE);
            // The whole last cycle is judged here; a probe up always starts without a cap, so that it can find
            // new capacity (BBRv2 likewise raises inflight_hi only while probing up).
            standingQueue = cycleMinRttNs != Long.MAX_VALUE && rtPropNs != Long.MAX_VALUE
                    && cycleMinRttNs > OVERFLOW_RTT_INFLATION * rtPropNs;
            cycleMinRttNs = Long.MAX_VALUE;
            inflightCapBytes = Long.MAX_VALUE;
        } else if (cycleIndex == 1 && standingQueue) {
            // udpix's standing-queue check. BBRv1's drain phase lasts one RTprop at most, so flows that together
            // overestimate the bottleneck end up window-limited behind a queue that never drains, and, being
            // ACK-clocked, keep whatever split their windows have. If no RTT of the last cycle came within
            // 1.25 x RTprop, the queue is standing: cap inflight below the estimated BDP, leaving BBRv2's
            // headroom, until the next probe. The queue then drains, the flows are paced again, and each one's
            // lone probe up shifts the shares towards fairness.
            inflightCapBytes = Math.max(minPipeCwndBytes(), inflightBytes(1.0 - STANDING_QUEUE_HEADROOM));
        }
    }

    /** The draft, section 4.3.1.2 (BBRCheckFullPipe). */
    private void checkFullPipe() {
        // udpix's delay-based exit (HyStart's delay increase, RFC 9406 section 4.2), checked on every ACK: once a
        // round has 8 RTT samples and even the lowest stands eta = clamp(RTprop / 8, 4 ms, 16 ms) above RTprop, a
        // queue is building; BBRv1's three rounds of flat bandwidth would overflow a one-BDP buffer at 2.89x.
        if (!filledPipe && mode == Mode.STARTUP && !roundStalled && delayIncrease.increaseSeen(rtPropNs)) {
            filledPipe = true;
            exitedOnDelay = true;
            return;
        }
        if (filledPipe || !roundStart || (sampler.sampleAppLimited() && !endedRoundQueued)) {
            return;
        }
        if (bandwidthBytesPerSecond >= fullBandwidthBytesPerSecond * FULL_BW_GROWTH) {
            fullBandwidthBytesPerSecond = bandwidthBytesPerSecond;
            fullBandwidthRounds = 0;
            return;
        }
        if (endedRoundStalled) {
            // udpix: a round an endpoint's pause spoiled is no evidence of a full pipe, just as an app-limited one
            // is not (draft-ietf-ccwg-bbr, BBRCheckFullBWReached counts only rounds that are not app-limited; the
            // full-pipe estimate, draft-cardwell-iccrg-bbr-congestion-control-00 section 4.3.1.2, assumes the
            // sender tried to double its delivery rate in each). A pause makes the sender fall behind its pacing
            // schedule: nothing is sent or acknowledged for its length, so the round's delivery rate is low
            // however empty the pipe. At 50 ms RTT three such rounds are only 150 ms: on bench scenario 3 cold
            // JVMs ended STARTUP at 10-13 Mbit/s of a 100 Mbit/s link (docs/BENCHMARKS.md, issue 13).
            return;
        }
        fullBandwidthRounds++;
        if (fullBandwidthRounds >= FULL_BW_ROUNDS) {
            filledPipe = true;
        }
    }

    /** The draft, section 4.3.2 (BBRCheckDrain). */
    private void checkDrain(long nowNs, long bytesInFlight) {
        if (mode == Mode.STARTUP && filledPipe) {
            probeUpRamp.onStartupExit(stallDetector.stalls() > 0 || exitedOnDelay);
            mode = Mode.DRAIN;
            pacingGain = DRAIN_GAIN;
            cwndGain = STARTUP_CWND_GAIN;
        }
        if (mode == Mode.DRAIN && bytesInFlight <= inflightBytes(1.0)) {
            enterProbeBw(nowNs);
        }
    }

    /** The draft, section 4.1.2.3 (BBRUpdateRTprop); returns whether the estimate had expired. */
    private boolean updateRtProp(long nowNs, long latestRttNs) {
        boolean expired = nowNs > rtPropStampNs + RTPROP_FILTER_NS;
        if (latestRttNs > 0 && (latestRttNs <= rtPropNs || expired)) {
            rtPropNs = latestRttNs;
            rtPropStampNs = nowNs;
        }
        return expired;
    }

    /** The draft, section 4.3.4.4 (BBRCheckProbeRTT / BBRHandleProbeRTT). */
    private void checkProbeRtt(long nowNs, long bytesInFlight, boolean rtPropExpired) {
        if (mode != Mode.PROBE_RTT && rtPropExpired && !idleRestart) {
            mode = Mode.PROBE_RTT;
            pacingGain = 1.0;
            cwndGain = 1.0;
            saveCwnd();
            probeRttDoneStampSet = false;
        }
        if (mode == Mode.PROBE_RTT) {
            // Samples while inflight is held down say nothing about the bottleneck's rate.
            sampler.onAppLimited(bytesInFlight);
            if (!probeRttDoneStampSet && bytesInFlight <= probeRttCwndBytes()) {
                probeRttDoneStampSet = true;
                probeRttDoneStampNs = nowNs + PROBE_RTT_DURATION_NS;
                probeRttRoundDone = false;
                nextRoundDeliveredBytes = sampler.deliveredBytes();
            } else if (probeRttDoneStampSet) {
                if (roundStart) {
                    probeRttRoundDone = true;
                }
                if (probeRttRoundDone && nowNs > probeRttDoneStampNs) {
                    rtPropStampNs = nowNs;
                    cwndBytes = Math.max(cwndBytes, priorCwndBytes);
                    if (filledPipe) {
                        enterProbeBw(nowNs);
                    } else {
                        enterStartup();
                    }
                }
            }
        }
        if (sampler.sampleHasData()) {
            idleRestart = false;
        }
    }

    private void saveCwnd() {
        priorCwndBytes = mode == Mode.PROBE_RTT ? Math.max(priorCwndBytes, cwndBytes) : cwndBytes;
    }

    private void enterStartup() {
        mode = Mode.STARTUP;
        delayIncrease.onRoundStart();
        pacingGain = STARTUP_GAIN;
        cwndGain = STARTUP_CWND_GAIN;
    }

    /** The draft, section 4.3.3.5 (BBREnterProbeBW): start at a random phase other than the drain phase. */
    private void enterProbeBw(long nowNs) {
        mode = Mode.PROBE_BW;
        pacingGain = 1.0;
        cwndGain = PROBE_BW_CWND_GAIN;
        cycleLength = PROBE_BW_GAINS.length;
        int offset = nextRandomBelow(CYCLE_RANDOM_RANGE);
        // After a delay exit the ramp probes at once rather than after a random cruise: on a path with 6-7 ms of
        // jitter each way on 40 ms (RandomStreamScenariosTest seed -6483128164427039725) the first flight's RTTs
        // stood 9 ms above the handshake's and STARTUP ended at 5.6 of 579 Mbit/s; waiting for the cycle's probe
        // phase left a 60 fps stream dropping 2 frames in 3 at the source for its whole second.
        cycleIndex = exitedOnDelay && probeUpRamp.armed() ? cycleLength - 1 : cycleLength - 1 - offset;
        cycleMinRttNs = Long.MAX_VALUE;
        advanceCyclePhase(nowNs);
    }

    /**
     * udpix: while the first flight's ACKs arrive, STARTUP's rate and window jump to {@link #TRAIN_SHARE} of the
     * train's rate (capped, see {@link #TRAIN_MAX_INITIAL_WINDOWS}) if that is more than the doubling from the
     * initial window gave. Never lowers either; the bandwidth filter keeps only measured delivery rates, so the
     * full-pipe and delay checks judge the real path.
     */
    private void startFromFirstFlight(long nowNs, long latestRttNs, long minRttNs) {
        if (firstFlight.over() || !sampler.sampleHasData()) {
            return;
        }
        boolean rttInflated = latestRttNs > 0 && minRttNs > 0 && minRttNs != Long.MAX_VALUE
                && latestRttNs > OVERFLOW_RTT_INFLATION * minRttNs;
        firstFlight.onAck(nowNs, sampler.samplePriorDeliveredBytes() == 0, sampler.deliveredBytes(), rttInflated);
        long trainBytesPerSecond = firstFlight.rateBytesPerSecond(maxDatagramBytes);
        if (mode != Mode.STARTUP || filledPipe || rtPropNs == Long.MAX_VALUE || trainBytesPerSecond <= 0) {
            return;
        }
        double capBytesPerSecond = (double) TRAIN_MAX_INITIAL_WINDOWS * initialCwndBytes() * NS_PER_SECOND / rtPropNs;
        double rate = Math.min(TRAIN_SHARE * trainBytesPerSecond, capBytesPerSecond);
        pacingRateBytesPerSecond = Math.max(pacingRateBytesPerSecond, (long) (pacingGain * rate));
        cwndBytes = Math.max(cwndBytes, (long) (cwndGain * rate * rtPropNs / NS_PER_SECOND));
    }

    /** The draft, section 4.2.1 (BBRSetPacingRate): in STARTUP never lower the rate before the pipe is full. */
    private void updatePacingRate() {
        if (bandwidthBytesPerSecond <= 0) {
            return;
        }
        long rate = Math.max(1L, (long) (pacingGain * offeredBandwidth() * PACING_MARGIN));
        if (filledPipe || rate > pacingRateBytesPerSecond || (roundStart && endedRoundQueued)) {
            pacingRateBytesPerSecond = rate;
        }
    }

    /** The draft, section 4.2.2 (BBRSetSendQuantum). */
    private void updateSendQuantum() {
        long quantum;
        if (pacingRateBytesPerSecond < QUANTUM_LOW_RATE_BYTES_PER_SECOND) {
            quantum = maxDatagramBytes;
        } else if (pacingRateBytesPerSecond < QUANTUM_HIGH_RATE_BYTES_PER_SECOND) {
            quantum = 2L * maxDatagramBytes;
        } else {
            quantum = Math.min(pacingRateBytesPerSecond / 1000, QUANTUM_MAX_BYTES);
        }
        sendQuantumBytes = Math.max(quantum, maxDatagramBytes);
    }

    /**
     * The draft, section 4.2.3 (BBRSetCwnd). Of its loss-recovery part this keeps Linux's deduction of lost
     * bytes (an ACK releases at most what it delivered); the window grows straight back towards the model's
     * target, so random loss does not shrink it for long.
     *
     * <p>udpix: the draft's growth past the model's target until the initial window was delivered (its first
     * samples may understate the path) is kept only for samples that are not app-limited. An app-limited sender's
     * rate is its own, not the window's, so that growth measures nothing; it only lets bursts queue. A frame stream
     * (13-25 KB frames at 30 fps on a 1.15 Mbit/s, 5.2 ms path whose first ACK came 158 ms late, behind the first
     * flight's own queue) grew its window from 47 to 97 KB that way, the link's queue to 98 KB (680 ms), above
     * RandomStreamScenariosTest's bound of 87 KB for a start-up (seed 20265068); with the rule, 65 KB.
     */
    private void updateCwnd(long ackedBytes, long lostBytes) {
        long targetBytes = Math.min(inflightBytes(cwndGain), inflightCapBytes);
        long cwnd = cwndBytes;
        if (lostBytes > 0) {
            cwnd = Math.max(cwnd - lostBytes, maxDatagramBytes);
        }
        if (filledPipe) {
            cwnd = Math.min(cwnd + ackedBytes, targetBytes);
        } else if (cwnd < targetBytes || (sampler.deliveredBytes() < initialCwndBytes()
                && (bandwidthBytesPerSecond == 0 || !sampler.sampleAppLimited()))) {
            cwnd += ackedBytes;
        }
        cwnd = Math.max(cwnd, minPipeCwndBytes());
        if (mode == Mode.PROBE_RTT) {
            cwnd = Math.min(cwnd, probeRttCwndBytes());
        }
        cwndBytes = cwnd;
    }

    /**
     * The window in ProbeRTT: half a BDP, as BBRv2 and the BBRv3 draft (draft-ietf-ccwg-bbr, BBRProbeRTTCwndGain =
     * 0.5) hold, not BBRv1's 4 datagrams. Half a BDP still drains the bottleneck queue (so the min RTT is measured)
     * while a paced real-time stream keeps flowing: 4 datagrams for 200 ms starved a 24 Mbit/s frame stream of ~7
     * frames every 10 s (StreamEfficiencyTest).
     */
    private long probeRttCwndBytes() {
        return Math.max(minPipeCwndBytes(), inflightBytes(0.5));
    }

    /** The draft, section 4.2.3.2 (BBRInflight): gain x BDP plus the ACK-aggregation allowance. */
    private long inflightBytes(double gain) {
        if (rtPropNs == Long.MAX_VALUE || bandwidthBytesPerSecond <= 0) {
            return initialCwndBytes();
        }
        double bdpBytes = offeredBandwidth() * rtPropNs / NS_PER_SECOND;
        return (long) (gain * bdpBytes) + QUANTA_IN_TARGET * sendQuantumBytes;
    }

    /**
     * The rate the path must be offered to deliver the bottleneck bandwidth: the estimate (a delivery rate) over
     * the share of packets that random loss leaves ({@link RandomLossFloor}; 1 on a path without random loss).
     * Packets lost at random stay in flight until declared lost, so the window follows the same rate.
     */
    private double offeredBandwidth() {
        return bandwidthBytesPerSecond * lossFloor.compensation();
    }

    @Override
    public void onPersistentCongestion(long nowNs) {
        // RFC 9002 section 7.6.2 asks for a collapse to the minimum window; BBR instead restarts its model, since
        // after a blackout both the bandwidth and the propagation estimates may be stale (the path may have
        // changed). The initial window is the task's choice; pacing spreads it over the last known min RTT.
        sampler.resetSample();
        startFresh(nowNs);
    }

    @Override
    public void onAppLimited(long bytesInFlight) {
        sampler.onAppLimited(bytesInFlight);
    }

    @Override
    public void onMaxDatagramSizeChanged(int maxDatagramBytes) {
        if (maxDatagramBytes <= 0) {
            return;
        }
        this.maxDatagramBytes = maxDatagramBytes;
        if (sampler.deliveredBytes() == 0 && mode == Mode.STARTUP) {
            // RFC 9002 section 7.2: before anything was acknowledged, the initial window follows the new size
            // (down as well as up: a smaller size chosen to complete the handshake).
            cwndBytes = initialCwndBytes();
            priorCwndBytes = cwndBytes;
            setInitialPacingRate();
            return;
        }
        // Once something was acknowledged the window follows the model, in STARTUP as in the other modes: only the
        // minimum window is counted in datagrams. RFC 9002 section 7.2 recalculates the initial window for a new
        // size but sets the window to it only when the size drops to complete the handshake. Raising a STARTUP
        // window to 32 of the larger datagrams path MTU discovery confirmed put up to 32 x 64 KiB in flight
        // whatever the path's BDP: on a 2.6 Mbit/s link an 8-second queue, PTOs of 11 s and a transfer the
        // receiver gave up on (RandomScenariosTest seed 2717007230641291955); 14 BDPs in flight on a 9.8 Mbit/s
        // one (RandomStreamScenariosTest seed -6090355498128763401).
        cwndBytes = Math.max(cwndBytes, minPipeCwndBytes());
        updateSendQuantum();
    }

    @Override
    public long congestionWindowBytes() {
        return cwndBytes;
    }

    @Override
    public long pacingRateBytesPerSecond() {
        return Math.max(1L, pacingRateBytesPerSecond);
    }

    /** The bottleneck bandwidth estimate: the windowed maximum of delivery rate samples (draft section 4.5.2). */
    @Override
    public long deliveryRateBytesPerSecond() {
        return bandwidthBytesPerSecond;
    }

    @Override
    public String name() {
        return "bbr";
    }

    private long initialCwndBytes() {
        return (long) INITIAL_CWND_PACKETS * maxDatagramBytes;
    }

    private long minPipeCwndBytes() {
        return (long) MIN_PIPE_CWND_PACKETS * maxDatagramBytes;
    }

    /** SplitMix64 (Steele, Lea, Flood 2014): deterministic per seed, no allocation. */
    private int nextRandomBelow(int bound) {
        randomState += 0x9E3779B97F4A7C15L;
        long z = randomState;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) Math.floorMod(z, (long) bound);
    }

    /** Current mode. */
    public Mode mode() {
        return mode;
    }

    /** Current pacing gain. */
    public double pacingGain() {
        return pacingGain;
    }

    /** Current cwnd gain. */
    public double cwndGain() {
        return cwndGain;
    }

    /** Index into the PROBE_BW gain cycle (meaningful in PROBE_BW). */
    public int cycleIndex() {
        return cycleIndex;
    }

    /** Windowed-max bottleneck bandwidth estimate, 0 before the first sample. */
    public long bottleneckBandwidthBytesPerSecond() {
        return bandwidthBytesPerSecond;
    }

    /** Round-trip propagation time estimate, or Long.MAX_VALUE before the first sample. */
    public long rtPropNs() {
        return rtPropNs;
    }

    /** The random-loss floor the model allows for (0 on a path without random loss). */
    public double randomLossFloor() {
        return lossFloor.floor();
    }

    /** Whether STARTUP decided the pipe is full. */
    public boolean filledPipe() {
        return filledPipe;
    }

    /** Endpoint pauses seen so far ({@link StallDetector}). */
    public long stallsSeen() {
        return stallDetector.stalls();
    }

    /** Round trips counted so far. */
    public long roundCount() {
        return roundCount;
    }

    /** The overflow guard's inflight cap, or Long.MAX_VALUE when none is in force. */
    public long inflightCapBytes() {
        return inflightCapBytes;
    }

    /** The delivery-rate sampler (read-only use: statistics and tests). */
    public DeliveryRateSampler sampler() {
        return sampler;
    }
}
