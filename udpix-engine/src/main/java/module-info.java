/**
 * udpix's sans-I/O protocol engine: datagrams and the time in, datagrams, deadlines and events out.
 *
 * <p>Exported: what an application or a driver plugs into or reads (the endpoint and its configuration, events,
 * transfer sources and sinks, keys, counters, traces, frame streams, congestion control choices, connection
 * statistics, and the sent-packet records a congestion controller is handed). Not exported: the helpers of
 * {@code io.udpix.engine.util} (to udpix-api only).
 */
// "module": the qualified export names a module built after this one (javac warns that it is not found yet).
@SuppressWarnings("module")
module io.udpix.engine {
    requires transitive io.udpix.wire;
    // X25519 of the Noise handshake is BouncyCastle's RFC 7748 code (crypto.HandshakeState).
    requires org.bouncycastle.provider;

    exports io.udpix.engine;
    exports io.udpix.engine.cc;
    exports io.udpix.engine.connection;
    exports io.udpix.engine.crypto;
    exports io.udpix.engine.event;
    exports io.udpix.engine.metrics;
    exports io.udpix.engine.recovery;
    exports io.udpix.engine.stream;
    exports io.udpix.engine.trace;
    exports io.udpix.engine.transfer;
    exports io.udpix.engine.util to io.udpix.api;
}
