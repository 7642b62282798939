package io.udpix.bench.frames;

import java.io.IOException;
import java.util.Map;

/**
 * One way of moving frames that scenario 7 measures: a sending side that takes whole JPEGs at the camera's pace
 * and a receiving side that reports every frame (or piece of one) it gets, with the time it got it.
 */
public interface FramePeer {
    /** The sending side, in the sender's network namespace. */
    interface Sender extends AutoCloseable {
        /** Hands over one frame; may block (TCP, a pipe) but never drops silently: a refused frame returns false. */
        boolean send(byte[] frame) throws IOException;

        /** As {@link #send(byte[])}, for a frame captured at {@code captureUs} (peers that carry it use it). */
        default boolean send(byte[] frame, long captureUs) throws IOException {
            return send(frame);
        }

        /** What the peer itself says about the run (its own counters), or empty. */
        default String summary() {
            return "";
        }

        /**
         * The peer's own final counters as {@link PeerFigures} keys (parity and retransmitted bytes, ...), read
         * after {@link #close()}; empty when the peer keeps none.
         */
        default Map<String, String> figures() {
            return Map.of();
        }

        @Override
        void close() throws IOException;
    }

    /** What a receiving side reports to. */
    interface Sink {
        /**
         * A frame or a piece of one, received at {@code arrivalUs} (microseconds since the epoch);
         * {@code complete} false when the peer already knows it is cut short.
         */
        void frame(byte[] bytes, int offset, int length, long arrivalUs, boolean complete);

        /** The sender ended the stream (TCP's end of file, the receiving process exited). */
        void ended(String why);
    }

    /** The receiving side, in the receiver's network namespace. */
    interface Receiver extends AutoCloseable {
        /** What the peer itself says about the run (its own counters), or empty. */
        default String summary() {
            return "";
        }

        /** The peer's own final counters as {@link PeerFigures} keys, read after {@link #close()}; or empty. */
        default Map<String, String> figures() {
            return Map.of();
        }

        @Override
        void close() throws IOException;
    }

    /** Starts the receiving side listening on {@code bindHost:port}; returns once it is ready. */
    Receiver receive(String bindHost, int port, Sink sink) throws IOException;

    /** Connects a sending side to {@code host:port}; returns once frames can be handed over. */
    Sender send(String host, int port) throws IOException;

    /** Microseconds since the epoch, from the host's realtime clock (shared by all network namespaces). */
    static long nowUs() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
