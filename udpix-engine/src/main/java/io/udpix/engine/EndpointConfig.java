package io.udpix.engine;

import io.udpix.engine.cc.CongestionControllerFactory;
import io.udpix.engine.crypto.PeerKeyPolicy;
import io.udpix.engine.crypto.StaticKeyPair;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Every limit and tunable of an endpoint. Each limit is counted in {@link EndpointStats} when it is hit.
 * Build with {@link #builder()}; the defaults suit a server on a LAN or the Internet.
 */
public final class EndpointConfig {
    /** The smallest datagram size limit: every IPv4 and IPv6 path that QUIC supports carries 1200 (RFC 9000 14). */
    public static final int MIN_DATAGRAM_BYTES = 1200;
    /** Whether peers may open connections to this endpoint (a server) or only it connects (a client). */
    public final boolean acceptConnections;
    /** Seed for connection IDs and the cookie secret; the engine has no other randomness. */
    public final long seed;
    /** Connections kept at once; a HELLO beyond it gets RESET SERVER_BUSY. */
    public final int maxConnections;
    /** Transfers a peer may have open towards us at once (advertised in ACCEPT). */
    public final int maxIncomingTransfers;
    /** Outgoing transfers queued per connection waiting for their turn. */
    public final int maxQueuedSends;
    /** Cap on bytes in flight per connection, whatever the congestion controller says. */
    public final long maxBytesInFlight;
    /**
     * Cap on the pacing rate of each connection, whatever the congestion controller says ({@code udpix send
     * --max-rate}: leave room on a shared link, as rsync's --bwlimit does); {@code Long.MAX_VALUE}: none.
     */
    public final long maxSendRateBytesPerSecond;
    /** Reassembly window of one incoming transfer (its flow-control credit beyond what was delivered). */
    public final int transferWindowBytes;
    /**
     * Reassembly memory of all incoming transfers of this endpoint together, reserved as each transfer's ring grows
     * (from 64 KiB towards its window) with data arriving ahead of delivery.
     */
    public final long maxReassemblyBytes;
    /** Largest declared item size accepted. */
    public final long maxItemBytes;
    /** A connection with nothing received for this long is closed (RFC 9000 section 10.1). */
    public final long idleTimeoutNs;
    /** A client gives up connecting after this long. */
    public final long handshakeTimeoutNs;
    /** Largest datagram we accept (advertised); also the upper bound of path MTU discovery. */
    public final int maxDatagramBytes;
    /** First datagram size tried (RFC 8899 BASE_PLPMTU 1200, as QUIC). */
    public final int initialDatagramBytes;
    /** Whether to probe for larger datagrams (RFC 8899). */
    public final boolean pathMtuDiscovery;
    /** Delay before acknowledging when no other trigger fires (RFC 9000 section 13.2.1 max_ack_delay). */
    public final long maxAckDelayNs;
    /** Congestion controller for each connection. */
    public final CongestionControllerFactory congestionControl;
    /** Events kept for the application before progress events are dropped (completion events are never dropped). */
    public final int maxQueuedEvents;
    /**
     * Accepted connections one peer address may hold; beyond it a HELLO gets RESET SERVER_BUSY. Default
     * {@code max(4, maxConnections / 16)} (64 of 1,024): not 1, because a NAT'd office or a CI host shares one
     * address, yet at least 16 addresses are needed to fill the table.
     */
    public final int maxConnectionsPerAddress;
    /**
     * Reassembly memory all incoming transfers from one peer address may hold together. Rings are reserved as they
     * grow (data arriving ahead of delivery), so at the share a chunk that needs more waits (left unacknowledged,
     * resent later) and an OPEN that cannot get even its first 64 KiB is refused with SERVER_BUSY. Default a
     * quarter of {@link #maxReassemblyBytes} (16 of 64 MiB: two full 8 MiB windows, or many in-order transfers),
     * so one address can never lock every other sender out.
     */
    public final long maxReassemblyBytesPerAddress;
    /**
     * Incoming transfers one peer address may have open across all its connections; beyond it an OPEN is refused
     * with TOO_MANY_TRANSFERS. Default {@code 4 * maxIncomingTransfers} (256): the per-connection limit alone would
     * let one address open 64 connections x 64 transfers, each holding a sink (an open file) without sending data.
     */
    public final int maxIncomingTransfersPerAddress;
    /**
     * An incoming transfer that receives no new byte for this long fails with STALLED, giving back its reassembly
     * memory and its sink; the sender is told. Default 30 s, the default idle timeout: a live connection whose
     * transfer makes no progress is given as long as a silent one, so a path outage the connection survives never
     * fails a transfer on its own; a sink that pushes back (a slow disk) does not count as a stall.
     */
    public final long stallTimeoutNs;
    /** This endpoint's long-term key (the server's identity); null: one is generated per endpoint. */
    public final StaticKeyPair staticKey;
    /** What a client accepts as a server's key (pinned or trusted on first use). */
    public final PeerKeyPolicy serverKeyPolicy;
    /** What a server accepts as a client's key (an allow list). */
    public final PeerKeyPolicy clientKeyPolicy;
    /** Addresses a server takes handshakes from; others are dropped and counted before any work. */
    public final Predicate<InetAddress> addressFilter;
    /** Source of every secret (ephemeral keys, the cookie key, generated static keys); never seeded. */
    public final SecureRandom secureRandom;
    /** Handshakes a server keeps half-open (ACCEPT sent, FINISH awaited) at once; above half, HELLOs get RETRY. */
    public final int maxHalfOpen;
    /** Half-open handshakes one address may hold; beyond it, its HELLOs get RETRY (then SERVER_BUSY). */
    public final int maxHalfOpenPerAddress;
    /** Handshakes (Diffie-Hellman work) a server starts per second without a cookie; beyond it, RETRY first. */
    public final int handshakesPerSecond;
    /** DATA packets per key epoch is 2^this (key update, see PacketCipher); lowered only by tests. */
    public final int keyUpdateEpochBits;
    /**
     * Whether this endpoint takes frame streams from its peers (advertised as FEATURES bit STREAMS with
     * STREAM_LIMITS, docs/PROTOCOL.md section 5.8.1). Default true. False: a peer's openStream fails at once with
     * UNSUPPORTED_FEATURE, and stream frames arriving anyway close the connection (PROTOCOL_VIOLATION).
     */
    public final boolean acceptStreams;
    /**
     * Whether this endpoint advertises FEATURES bit ITEM_EXTENSIONS (docs/PROTOCOL.md section 4.4a: it parses OPEN
     * extension blocks and RESUME frames). Always true in udpix; false only makes an endpoint look like an older
     * udpix to its peer, for interoperability tests.
     */
    public final boolean advertiseItemExtensions;
    /** Incoming streams one connection may have at once; beyond it STREAM_OPEN is refused. Default 16. */
    public final int maxStreamsPerConnection;
    /** Largest frame an incoming stream may carry, in bytes; longer frames are dropped and counted. Default 16 MiB. */
    public final long maxFrameBytes;
    /** Smallest latency budget granted to an incoming stream, in milliseconds. Default 0 (the sender's choice). */
    public final int streamLatencyMinMs;
    /** Largest latency budget granted to an incoming stream, in milliseconds (at most 10,000). Default 10,000. */
    public final int streamLatencyMaxMs;
    /** Where connection traces go (docs/QLOG.md), or null (the default): tracing off, at no cost. */
    public final io.udpix.engine.trace.Tracer tracer;

    private EndpointConfig(Builder b) {
        this.acceptConnections = b.acceptConnections;
        this.seed = b.seed;
        this.maxConnections = positive(b.maxConnections, "maxConnections");
        this.maxIncomingTransfers = positive(b.maxIncomingTransfers, "maxIncomingTransfers");
        this.maxQueuedSends = positive(b.maxQueuedSends, "maxQueuedSends");
        this.maxBytesInFlight = positive(b.maxBytesInFlight, "maxBytesInFlight");
        this.maxSendRateBytesPerSecond = positive(b.maxSendRateBytesPerSecond, "maxSendRateBytesPerSecond");
        this.transferWindowBytes = positive(b.transferWindowBytes, "transferWindowBytes");
        this.maxReassemblyBytes = positive(b.maxReassemblyBytes, "maxReassemblyBytes");
        this.maxItemBytes = positive(b.maxItemBytes, "maxItemBytes");
        this.idleTimeoutNs = positive(b.idleTimeoutNs, "idleTimeoutNs");
        this.handshakeTimeoutNs = positive(b.handshakeTimeoutNs, "handshakeTimeoutNs");
        if (b.maxDatagramBytes < MIN_DATAGRAM_BYTES || b.maxDatagramBytes > 65507) {
            throw new IllegalArgumentException("maxDatagramBytes must be 1200..65507, was " + b.maxDatagramBytes);
        }
        this.maxDatagramBytes = b.maxDatagramBytes;
        if (b.initialDatagramBytes < MIN_DATAGRAM_BYTES || b.initialDatagramBytes > b.maxDatagramBytes) {
            throw new IllegalArgumentException("initialDatagramBytes must be 1200..maxDatagramBytes, was "
                    + b.initialDatagramBytes);
        }
        this.initialDatagramBytes = b.initialDatagramBytes;
        this.pathMtuDiscovery = b.pathMtuDiscovery;
        this.maxAckDelayNs = positive(b.maxAckDelayNs, "maxAckDelayNs");
        // The default controller draws its random choices from the endpoint's seed, so two endpoints never share
        // a gain cycle (which would let their flows lock step on a shared bottleneck).
        this.congestionControl = b.congestionControl != null ? b.congestionControl
                : io.udpix.engine.cc.CongestionControllers.bbr(b.seed);
        this.maxQueuedEvents = positive(b.maxQueuedEvents, "maxQueuedEvents");
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress != 0
                ? positive(b.maxConnectionsPerAddress, "maxConnectionsPerAddress")
                : Math.min(maxConnections, Math.max(4, maxConnections / 16));
        this.maxReassemblyBytesPerAddress = b.maxReassemblyBytesPerAddress != 0
                ? positive(b.maxReassemblyBytesPerAddress, "maxReassemblyBytesPerAddress")
                : Math.max(1, maxReassemblyBytes / 4);
        this.maxIncomingTransfersPerAddress = b.maxIncomingTransfersPerAddress != 0
                ? positive(b.maxIncomingTransfersPerAddress, "maxIncomingTransfersPerAddress")
                : (int) Math.min(Integer.MAX_VALUE, 4L * maxIncomingTransfers);
        this.stallTimeoutNs = positive(b.stallTimeoutNs, "stallTimeoutNs");
        this.staticKey = b.staticKey;
        this.serverKeyPolicy = Objects.requireNonNull(b.serverKeyPolicy, "serverKeyPolicy");
        this.clientKeyPolicy = Objects.requireNonNull(b.clientKeyPolicy, "clientKeyPolicy");
        this.addressFilter = Objects.requireNonNull(b.addressFilter, "addressFilter");
        this.secureRandom = b.secureRandom != null ? b.secureRandom : new SecureRandom();
        this.maxHalfOpen = positive(b.maxHalfOpen, "maxHalfOpen");
        this.maxHalfOpenPerAddress = positive(b.maxHalfOpenPerAddress, "maxHalfOpenPerAddress");
        this.handshakesPerSecond = positive(b.handshakesPerSecond, "handshakesPerSecond");
        if (b.keyUpdateEpochBits < 1 || b.keyUpdateEpochBits > 32) {
            throw new IllegalArgumentException("keyUpdateEpochBits must be 1..32, was " + b.keyUpdateEpochBits);
        }
        this.keyUpdateEpochBits = b.keyUpdateEpochBits;
        this.acceptStreams = b.acceptStreams;
        this.advertiseItemExtensions = b.advertiseItemExtensions;
        // Validated (with errors naming the value) by the record; kept as plain fields like every other limit.
        io.udpix.engine.stream.StreamLimits limits = new io.udpix.engine.stream.StreamLimits(
                b.maxStreamsPerConnection, b.maxFrameBytes, b.streamLatencyMinMs, b.streamLatencyMaxMs);
        this.maxStreamsPerConnection = limits.maxStreams();
        this.maxFrameBytes = limits.maxFrameBytes();
        this.streamLatencyMinMs = limits.latencyMinMs();
        this.streamLatencyMaxMs = limits.latencyMaxMs();
        this.tracer = b.tracer;
    }

    /** This endpoint's stream limits, as it advertises them in STREAM_LIMITS. */
    public io.udpix.engine.stream.StreamLimits streamLimits() {
        return new io.udpix.engine.stream.StreamLimits(maxStreamsPerConnection, maxFrameBytes, streamLatencyMinMs,
                streamLatencyMaxMs);
    }

    private static long positive(long v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + v);
        }
        return v;
    }

    private static int positive(int v, String name) {
        return (int) positive((long) v, name);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link EndpointConfig}. */
    public static final class Builder {
        private boolean acceptConnections;
        private long seed = 1;
        private int maxConnections = 1024;
        private int maxIncomingTransfers = 64;
        private int maxQueuedSends = 4096;
        private long maxBytesInFlight = 64L << 20;
        private long maxSendRateBytesPerSecond = Long.MAX_VALUE;
        private int transferWindowBytes = 8 << 20;
        private long maxReassemblyBytes = 64L << 20;
        private long maxItemBytes = Long.MAX_VALUE;
        private long idleTimeoutNs = 30_000_000_000L;
        private long handshakeTimeoutNs = 10_000_000_000L;
        private int maxDatagramBytes = 65507;
        private int initialDatagramBytes = 1200;
        private boolean pathMtuDiscovery = true;
        private long maxAckDelayNs = 25_000_000L;
        private CongestionControllerFactory congestionControl;
        private int maxQueuedEvents = 4096;
        private int maxConnectionsPerAddress;
        private long maxReassemblyBytesPerAddress;
        private int maxIncomingTransfersPerAddress;
        private long stallTimeoutNs = 30_000_000_000L;
        private StaticKeyPair staticKey;
        private PeerKeyPolicy serverKeyPolicy = PeerKeyPolicy.ACCEPT_ANY;
        private PeerKeyPolicy clientKeyPolicy = PeerKeyPolicy.ACCEPT_ANY;
        private Predicate<InetAddress> addressFilter = a -> true;
        private SecureRandom secureRandom;
        private int maxHalfOpen = 256;
        private int maxHalfOpenPerAddress = 16;
        private int handshakesPerSecond = 2000;
        private int keyUpdateEpochBits = 22;
        private boolean acceptStreams = true;
        private boolean advertiseItemExtensions = true;
        private int maxStreamsPerConnection = 16;
        private long maxFrameBytes = 16L << 20;
        private int streamLatencyMinMs = 0;
        private int streamLatencyMaxMs = 10_000;
        private io.udpix.engine.trace.Tracer tracer;

        private Builder() {}

        public Builder acceptConnections(boolean v) { acceptConnections = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxIncomingTransfers(int v) { maxIncomingTransfers = v; return this; }
        public Builder maxQueuedSends(int v) { maxQueuedSends = v; return this; }
        public Builder maxBytesInFlight(long v) { maxBytesInFlight = v; return this; }
        public Builder maxSendRateBytesPerSecond(long v) { maxSendRateBytesPerSecond = v; return this; }
        public Builder transferWindowBytes(int v) { transferWindowBytes = v; return this; }
        public Builder maxReassemblyBytes(long v) { maxReassemblyBytes = v; return this; }
        public Builder maxItemBytes(long v) { maxItemBytes = v; return this; }
        public Builder idleTimeoutNs(long v) { idleTimeoutNs = v; return this; }
        public Builder handshakeTimeoutNs(long v) { handshakeTimeoutNs = v; return this; }
        public Builder maxDatagramBytes(int v) { maxDatagramBytes = v; return this; }
        public Builder initialDatagramBytes(int v) { initialDatagramBytes = v; return this; }
        public Builder pathMtuDiscovery(boolean v) { pathMtuDiscovery = v; return this; }
        public Builder maxAckDelayNs(long v) { maxAckDelayNs = v; return this; }
        public Builder congestionControl(CongestionControllerFactory v) { congestionControl = v; return this; }
        public Builder maxQueuedEvents(int v) { maxQueuedEvents = v; return this; }
        /** See {@link EndpointConfig#maxConnectionsPerAddress}; unset, it follows maxConnections. */
        public Builder maxConnectionsPerAddress(int v) {
            maxConnectionsPerAddress = nonZero(v, "maxConnectionsPerAddress");
            return this;
        }

        /** See {@link EndpointConfig#maxReassemblyBytesPerAddress}; unset, it follows maxReassemblyBytes. */
        public Builder maxReassemblyBytesPerAddress(long v) {
            maxReassemblyBytesPerAddress = nonZero(v, "maxReassemblyBytesPerAddress");
            return this;
        }

        /** See {@link EndpointConfig#maxIncomingTransfersPerAddress}; unset, it follows maxIncomingTransfers. */
        public Builder maxIncomingTransfersPerAddress(int v) {
            maxIncomingTransfersPerAddress = nonZero(v, "maxIncomingTransfersPerAddress");
            return this;
        }

        /** See {@link EndpointConfig#stallTimeoutNs}. */
        public Builder stallTimeoutNs(long v) { stallTimeoutNs = v; return this; }
        public Builder staticKey(StaticKeyPair v) { staticKey = v; return this; }
        public Builder serverKeyPolicy(PeerKeyPolicy v) { serverKeyPolicy = v; return this; }
        public Builder clientKeyPolicy(PeerKeyPolicy v) { clientKeyPolicy = v; return this; }
        public Builder addressFilter(Predicate<InetAddress> v) { addressFilter = v; return this; }
        public Builder secureRandom(SecureRandom v) { secureRandom = v; return this; }
        public Builder maxHalfOpen(int v) { maxHalfOpen = v; return this; }
        public Builder maxHalfOpenPerAddress(int v) { maxHalfOpenPerAddress = v; return this; }
        public Builder handshakesPerSecond(int v) { handshakesPerSecond = v; return this; }
        public Builder keyUpdateEpochBits(int v) { keyUpdateEpochBits = v; return this; }
        /** See {@link EndpointConfig#tracer}. */
        public Builder tracer(io.udpix.engine.trace.Tracer v) { tracer = v; return this; }
        /** See {@link EndpointConfig#acceptStreams}. */
        public Builder acceptStreams(boolean v) { acceptStreams = v; return this; }
        /** See {@link EndpointConfig#advertiseItemExtensions}. */
        public Builder advertiseItemExtensions(boolean v) { advertiseItemExtensions = v; return this; }
        /** See {@link EndpointConfig#maxStreamsPerConnection} (1..65535). */
        public Builder maxStreamsPerConnection(int v) { maxStreamsPerConnection = v; return this; }
        /** See {@link EndpointConfig#maxFrameBytes} (1..2^31-1). */
        public Builder maxFrameBytes(long v) { maxFrameBytes = v; return this; }
        /** Latency budget bounds for incoming streams in milliseconds, {@code 0 <= min <= max <= 10,000}. */
        public Builder streamLatencyBoundsMs(int minMs, int maxMs) {
            streamLatencyMinMs = minMs;
            streamLatencyMaxMs = maxMs;
            return this;
        }

        private static long nonZero(long v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be positive, was " + v);
            }
            return v;
        }

        private static int nonZero(int v, String name) {
            return (int) nonZero((long) v, name);
        }

        /** The configuration; IllegalArgumentException names the bad value. */
        public EndpointConfig build() {
            return new EndpointConfig(this);
        }
    }
}
