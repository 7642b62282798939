package io.udpix.engine.cc;

/** Makes one congestion controller per connection. */
@FunctionalInterface
public interface CongestionControllerFactory {
    /**
     * A controller for a new connection.
     *
     * @param maxDatagramBytes the datagram size in use when the connection starts
     * @param nowNs the connection's start time
     */
    CongestionController create(int maxDatagramBytes, long nowNs);
}
