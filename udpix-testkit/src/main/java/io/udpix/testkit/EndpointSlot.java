package io.udpix.testkit;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/** The simulator's bookkeeping for one attached endpoint. */
final class EndpointSlot {
    final int index;
    final InetSocketAddress address;
    final SansIoEndpoint endpoint;
    /** Routes leaving this address, shared with the simulator's route table. */
    final Map<InetSocketAddress, Link> routes;
    Consumer<EndpointEvent> eventConsumer;
    boolean detached;
    boolean pollPending;
    /** The endpoint is paused until this time (Simulator.stall); 0 when never paused. */
    long stalledUntilNs;
    long stallSocketBufferBytes;
    /** Bytes of datagrams waiting in its socket buffer during a pause. */
    long heldBytes;

    /** One-entry route cache: endpoints mostly send to the same peer. Valid while topologyVersion matches. */
    InetSocketAddress cachedDestination;
    Link cachedLink;
    EndpointSlot cachedDestinationSlot;
    long cachedVersion = -1;

    EndpointSlot(int index, InetSocketAddress address, SansIoEndpoint endpoint, Map<InetSocketAddress, Link> routes) {
        this.index = index;
        this.address = address;
        this.endpoint = endpoint;
        this.routes = routes;
    }
}
