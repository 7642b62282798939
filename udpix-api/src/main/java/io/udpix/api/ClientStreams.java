package io.udpix.api;

import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import io.udpix.api.stream.StreamStatus;
import io.udpix.driver.Driver;
import io.udpix.engine.Endpoint;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.StreamStats;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The frame streams of one {@link UdpixClient}: opens them on the driver thread, routes the engine's stream events
 * to them, ends them with the connection. Kept out of UdpixClient so that each class stays small.
 */
final class ClientStreams {
    /** Bound on the wait for the driver to run an open command. */
    private static final long COMMAND_WAIT_MS = 2_000;
    /** An open the engine refused at once is explained by a StreamEnded in the same pass; this bounds the wait. */
    private static final long REFUSAL_WAIT_MS = 1_000;

    private final Driver<Endpoint> driver;
    private final Endpoint endpoint;
    private final InetSocketAddress server;
    // Driver thread only.
    private final Map<Integer, OutgoingFrameStream> streams = new HashMap<>();
    /** Opens the engine refused at once (id -1): its StreamEnded for them follows in the same pass, in order. */
    private final ArrayDeque<OutgoingFrameStream> refusedOpens = new ArrayDeque<>();

    ClientStreams(Driver<Endpoint> driver, Endpoint endpoint, InetSocketAddress server) {
        this.driver = driver;
        this.endpoint = endpoint;
        this.server = server;
    }

    /**
     * Opens a stream on {@code connectionId} and waits until the server took it or refused it, at most
     * {@code timeoutNs}.
     */
    FrameStream open(long connectionId, StreamOptions options, long timeoutNs) throws UdpixException {
        OutgoingFrameStream stream = new OutgoingFrameStream(driver, endpoint, connectionId, options,
                Addresses.text(server));
        try {
            int id = driver.call(ep -> {
                int given = endpoint.openStream(connectionId, options.toParams(), System.nanoTime());
                stream.assignId(given);
                if (given < 0) {
                    refusedOpens.add(stream);
                } else {
                    streams.put(given, stream);
                }
                return given;
            }).get(COMMAND_WAIT_MS, TimeUnit.MILLISECONDS);
            if (id < 0) {
                try {
                    stream.opened.get(REFUSAL_WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    driver.execute(ep -> refusedOpens.remove(stream));
                    throw new UdpixException(UdpixException.Kind.REFUSED, ErrorCode.REFUSED, "cannot open a stream "
                            + "to " + Addresses.text(server) + ": the connection is closing or has as many streams "
                            + "as the server takes; close one first", e);
                }
            }
            stream.opened.get(TimeUnit.NANOSECONDS.toMillis(timeoutNs), TimeUnit.MILLISECONDS);
            return stream;
        } catch (ExecutionException e) {
            stream.close();
            if (e.getCause() instanceof UdpixException u) {
                if (u.errorCode() == ErrorCode.TOO_MANY_TRANSFERS) {
                    throw new UdpixException(u.kind(), u.errorCode(), "cannot open another stream to "
                            + Addresses.text(server) + ": " + u.getMessage().replace("; close one first", "")
                            + " (the server's limit per connection, udpix serve --max-streams); close a stream "
                            + "first, open this one on another connection, or raise the server's limit", u);
                }
                throw new UdpixException(u.kind(), u.errorCode(), u.getMessage(), u);
            }
            throw new UdpixException(UdpixException.Kind.FAILED, -1, "cannot open a stream to "
                    + Addresses.text(server) + ": " + e.getCause(), e.getCause());
        } catch (RejectedExecutionException e) {
            throw new UdpixException(UdpixException.Kind.CONNECTION_CLOSED, ErrorCode.CLOSED, "cannot open a "
                    + "stream: the client is closed", e);
        } catch (TimeoutException e) {
            stream.close();
            throw new UdpixException(UdpixException.Kind.TIMED_OUT, ErrorCode.TIMEOUT, "the server at "
                    + Addresses.text(server) + " did not take the stream within "
                    + Addresses.duration(timeoutNs) + "; is the path losing everything?", e);
        } catch (InterruptedException e) {
            stream.close();
            Thread.currentThread().interrupt();
            throw new UdpixException(UdpixException.Kind.CANCELLED, -1, "interrupted while opening a stream", e);
        }
    }

    /** Driver thread: true when {@code event} was a stream event (handled here). */
    boolean onEvent(EndpointEvent event) {
        if (event instanceof StreamOpened o) {
            OutgoingFrameStream stream = o.incoming() ? null : streams.get(o.streamId());
            if (stream != null) {
                io.udpix.engine.stream.StreamLimits limits = endpoint.peerStreamLimits(o.connectionId());
                if (limits != null) {
                    stream.peerMaxFrameBytes(limits.maxFrameBytes());
                }
                // The figures now carry the effective budget (the request clamped to the server's bounds).
                stream.refreshStats(System.nanoTime(), true);
                stream.opened.complete(null);
            } else if (o.incoming()) {
                // A client takes no streams: a server that opens one is told so.
                endpoint.closeStream(o.connectionId(), o.streamId(), true, System.nanoTime());
            }
            return true;
        }
        if (event instanceof StreamEnded e) {
            if (e.incoming()) {
                return true;
            }
            OutgoingFrameStream stream = streams.remove(e.streamId());
            if (stream == null) {
                stream = refusedOpens.poll();
            }
            if (stream != null) {
                stream.onEnded(e.stats(), e.errorCode(), e.reason());
            }
            return true;
        }
        return false;
    }

    /** Driver thread (or the closing thread once the driver stopped): every stream ends with the connection. */
    void connectionClosed(UdpixException why) {
        List<OutgoingFrameStream> all = new ArrayList<>(streams.values());
        all.addAll(refusedOpens);
        streams.clear();
        refusedOpens.clear();
        for (OutgoingFrameStream stream : all) {
            stream.onEnded(null, why == null ? ErrorCode.CLOSED : why.errorCode() < 0 ? ErrorCode.CLOSED
                    : why.errorCode(), why == null ? "the client was closed" : why.getMessage());
        }
    }

    /** The figures of every open stream (asks the driver thread; empty if it does not answer within 2 s). */
    List<StreamStatus> stats(InetSocketAddress local) {
        try {
            return driver.call(ep -> {
                List<StreamStatus> out = new ArrayList<>();
                for (StreamStats s : endpoint.allStreamStats(System.nanoTime())) {
                    OutgoingFrameStream stream = s.incoming() ? null : streams.get(s.streamId());
                    out.add(new StreamStatus(server, local.getPort(), stream == null ? "" : stream.options()
                            .name(), stream == null ? s : stream.withApiDrops(s), 0));
                }
                return out;
            }).get(COMMAND_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
