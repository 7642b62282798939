package io.udpix.api;

import io.udpix.api.stream.Frame;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamStatus;
import io.udpix.engine.Endpoint;
import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.StreamCodec;
import io.udpix.engine.stream.StreamStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The incoming frame streams of one server port, on its driver thread: remembers each stream's sender and name,
 * turns the engine's events into {@link Frame}s and {@link StreamEnd}s for the frame thread, refuses streams when
 * the server has no frame listener.
 */
final class PortStreams {
    /** Streams remembered at once; the engine's own limits (streams per connection, connections) keep it lower. */
    static final int MAX_TRACKED = 65_536;

    private final ServerStreams shared;
    private final Endpoint endpoint;
    private final IntSupplier localPort;
    private final int portSerial;
    private final Map<Key, Meta> open = new HashMap<>();

    PortStreams(ServerStreams shared, Endpoint endpoint, IntSupplier localPort) {
        this.shared = shared;
        this.endpoint = endpoint;
        this.localPort = localPort;
        this.portSerial = shared.nextPortSerial();
    }

    /** Driver thread: true when {@code event} was a stream event (handled here). */
    boolean onEvent(EndpointEvent event) {
        if (event instanceof StreamOpened o) {
            if (o.incoming()) {
                opened(o);
            }
            return true;
        }
        if (event instanceof FrameReceived f) {
            Key key = new Key(portSerial, f.connectionId(), f.streamId());
            Meta meta = open.get(key);
            if (meta != null) {
                shared.deliver(key, new Frame(meta.peer, localPort.getAsInt(), f.streamId(), meta.name,
                        f.frameNumber(), f.data(), meta.codec, f.captureNs(), f.latencyNs(), f.fecRecovered()));
            }
            return true;
        }
        if (event instanceof StreamEnded e) {
            if (e.incoming()) {
                Key key = new Key(portSerial, e.connectionId(), e.streamId());
                Meta meta = open.remove(key);
                if (meta != null) {
                    shared.ended(key, new StreamEnd(meta.peer, localPort.getAsInt(), e.streamId(), meta.name,
                            e.errorCode(), e.reason(), e.stats(), 0));
                }
            }
            return true;
        }
        if (event instanceof ConnectionClosed c) {
            // The engine ends every stream before the connection; anything left would only leak.
            open.keySet().removeIf(key -> key.connectionId == c.connectionId());
        }
        return false;
    }

    private void opened(StreamOpened o) {
        if (!shared.takesStreams() || open.size() >= MAX_TRACKED) {
            endpoint.closeStream(o.connectionId(), o.streamId(), true, System.nanoTime());
            return;
        }
        open.put(new Key(portSerial, o.connectionId(), o.streamId()), new Meta(o.peer(), o.params().name(),
                o.params().codec()));
    }

    /** Driver thread: the figures of every incoming stream of this port. */
    List<StreamStatus> stats() {
        List<StreamStatus> out = new ArrayList<>();
        for (StreamStats s : endpoint.allStreamStats(System.nanoTime())) {
            if (!s.incoming()) {
                continue;
            }
            Key key = new Key(portSerial, s.connectionId(), s.streamId());
            Meta meta = open.get(key);
            if (meta != null) {
                out.add(new StreamStatus(meta.peer, localPort.getAsInt(), meta.name, s,
                        shared.droppedSlowListener(key)));
            }
        }
        return out;
    }

    /** A stream on this server: port, connection, stream id. */
    private record Key(int portSerial, long connectionId, int streamId) {
    }

    /** What the StreamOpened said. */
    private record Meta(InetSocketAddress peer, String name, StreamCodec codec) {
    }
}
