package io.udpix.dashboard;

import io.udpix.api.ReceivedItem;
import io.udpix.api.ServerEvent;
import io.udpix.api.UdpixServer;
import io.udpix.api.stream.Frame;
import io.udpix.api.stream.StreamEnd;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The web dashboard of a running server: one page (static files in the jar), live updates over server-sent
 * events, {@code /api/stats}, {@code /api/latest/PORT.jpg}, MJPEG frame streams and {@code /metrics}.
 * Feed it the server's callbacks ({@link #item}, {@link #event}, {@link #frame}); see docs/DASHBOARD.md.
 */
public interface Dashboard extends AutoCloseable {

    /**
     * Starts serving on {@code address} for {@code server}; {@code token} may be null only on loopback.
     *
     * @throws java.net.BindException when the address is in use
     * @throws IllegalArgumentException when a non-loopback address has no token, or the token is empty
     */
    static Dashboard start(InetSocketAddress address, String token, UdpixServer server) throws IOException {
        return HttpDashboard.start(address, token, server);
    }

    /** The address it listens on (the real port when 0 was asked). */
    InetSocketAddress address();

    /** The URL to open (with the token, when there is one). */
    String url();

    /** An item the server received (any kind): images become the port's latest image, JSON a recent message. */
    void item(ReceivedItem item);

    /** A server event: transfers in progress and their progress. */
    void event(ServerEvent event);

    /** A frame of an incoming stream: the stream's latest frame for its MJPEG view. */
    void frame(Frame frame);

    /** An incoming stream ended: its latest frame is let go and its MJPEG views end. */
    default void streamEnded(StreamEnd end) {
    }

    /** Stops serving; idempotent. */
    @Override
    void close();
}
