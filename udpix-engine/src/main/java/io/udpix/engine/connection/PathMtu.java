package io.udpix.engine.connection;

/**
 * Datagram packetization layer path MTU discovery (RFC 8899), in the connection's terms: the largest UDP payload
 * the path is confirmed to carry, and the probes that search for more.
 *
 * <p>The search starts from the size the handshake proved (the HELLO that got through; 1200 bytes normally, as
 * RFC 8899 section 5.1.2 BASE_PLPMTU for QUIC) and tries common path sizes first (Ethernet 1500, jumbo 9000,
 * loopback 65535 minus 28 bytes of IP and UDP headers), then bisects between the largest confirmed and the smallest
 * failed size. A size counts as failed after {@link #MAX_PROBES} lost probes (section 5.1.2 MAX_PROBES). Probes are
 * padding-only packets whose loss says nothing about congestion (section 4.4), so the controller never sees them.
 * After a search ends it is restarted every {@link #RAISE_INTERVAL_NS} (PMTU_RAISE_TIMER, section 5.1.1); a black
 * hole (repeated probe timeouts of ordinary packets) drops back to the base size (section 4.3).
 */
final class PathMtu {
    static final int MAX_PROBES = 3;
    static final long RAISE_INTERVAL_NS = 600_000_000_000L;
    /** Sizes tried before bisecting: Ethernet, jumbo frames, loopback (IPv4 MTU minus 28 header bytes). */
    static final int[] CANDIDATES = {1472, 8972, 65507};
    /** Bisection stops when the unknown interval is this small. */
    static final int SEARCH_RESOLUTION_BYTES = 64;

    private final int baseBytes;
    private final int maxBytes;
    private final boolean enabled;
    private int currentBytes;
    private int failedAboveBytes;
    private int probeBytes;
    private int lostProbesAtSize;
    private boolean probeInFlight;
    private long nextSearchNs;
    private boolean searching;

    PathMtu(int baseBytes, int maxBytes, boolean enabled, long nowNs) {
        this.baseBytes = baseBytes;
        this.maxBytes = Math.max(baseBytes, maxBytes);
        this.enabled = enabled && this.maxBytes > baseBytes;
        this.currentBytes = baseBytes;
        this.failedAboveBytes = this.maxBytes + 1;
        this.searching = this.enabled;
        this.nextSearchNs = nowNs;
        chooseNextProbe();
    }

    /** The datagram size in use. */
    int currentBytes() {
        return currentBytes;
    }

    /** Whether a probe of {@link #probeBytes()} should be sent now. */
    boolean wantsProbe(long nowNs) {
        return searching && !probeInFlight && nowNs >= nextSearchNs && probeBytes > currentBytes;
    }

    /** When a probe or a new search is next due, or Long.MAX_VALUE. */
    long nextProbeTimeNs() {
        if (!enabled || probeInFlight) {
            return Long.MAX_VALUE;
        }
        return searching ? nextSearchNs : nextSearchNs;
    }

    int probeBytes() {
        return probeBytes;
    }

    void onProbeSent() {
        probeInFlight = true;
    }

    /** The probe of {@code sizeBytes} was acknowledged: the path carries it. Returns true if the size grew. */
    boolean onProbeAcked(int sizeBytes) {
        probeInFlight = false;
        lostProbesAtSize = 0;
        boolean grew = false;
        if (sizeBytes > currentBytes) {
            currentBytes = sizeBytes;
            grew = true;
        }
        chooseNextProbe();
        return grew;
    }

    /** The probe of {@code sizeBytes} was lost. */
    void onProbeLost(int sizeBytes) {
        probeInFlight = false;
        if (sizeBytes != probeBytes) {
            return;
        }
        lostProbesAtSize++;
        if (lostProbesAtSize >= MAX_PROBES) {
            lostProbesAtSize = 0;
            failedAboveBytes = Math.min(failedAboveBytes, sizeBytes);
            chooseNextProbe();
        }
    }

    /** Handles the raise timer: after a finished search, search again from the current size. */
    void onTimer(long nowNs) {
        if (enabled && !searching && nowNs >= nextSearchNs) {
            searching = true;
            failedAboveBytes = maxBytes + 1;
            chooseNextProbe();
        }
    }

    /** Black hole suspected (RFC 8899 section 4.3): fall back to the base size and search again later. */
    boolean onBlackHole(long nowNs) {
        if (currentBytes == baseBytes) {
            return false;
        }
        currentBytes = baseBytes;
        failedAboveBytes = maxBytes + 1;
        probeInFlight = false;
        searching = enabled;
        nextSearchNs = nowNs + 1_000_000_000L;
        chooseNextProbe();
        return true;
    }

    private void chooseNextProbe() {
        if (!enabled) {
            searching = false;
            return;
        }
        int next = -1;
        for (int c : CANDIDATES) {
            int size = Math.min(c, maxBytes);
            if (size > currentBytes && size < failedAboveBytes) {
                next = size;
                break;
            }
        }
        if (next < 0 && failedAboveBytes - currentBytes > SEARCH_RESOLUTION_BYTES) {
            next = currentBytes + (failedAboveBytes - currentBytes) / 2;
        }
        if (next < 0) {
            searching = false;
            nextSearchNs = nextSearchNs + RAISE_INTERVAL_NS;
            probeBytes = currentBytes;
        } else {
            searching = true;
            probeBytes = next;
        }
    }
}
