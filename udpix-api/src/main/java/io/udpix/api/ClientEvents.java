package io.udpix.api;

import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * The engine's events for one {@link UdpixClient}, on its I/O thread: routes them to its streams and its sends,
 * completes the handshake's future (and waits for it), and turns the connection's end into the failure of
 * everything still waiting. Kept out of UdpixClient so that each class stays small.
 */
final class ClientEvents {
    private final InetSocketAddress server;
    private final long connectTimeoutNs;
    private final ClientStreams streams;
    private final ClientRequests requests;
    private final ClientSends sends;
    private final LongSupplier connectionId;
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    private volatile UdpixException closedBecause;

    ClientEvents(InetSocketAddress server, long connectTimeoutNs, ClientStreams streams, ClientRequests requests,
            ClientSends sends, LongSupplier connectionId) {
        this.server = server;
        this.connectTimeoutNs = connectTimeoutNs;
        this.streams = streams;
        this.requests = requests;
        this.sends = sends;
        this.connectionId = connectionId;
    }

    /** Completes when the server accepted the connection; fails as the connection's end does before that. */
    CompletableFuture<Void> established() {
        return established;
    }

    /** Why the connection ended (any thread); null while it did not. */
    UdpixException closedBecause() {
        return closedBecause;
    }

    /**
     * Waits for {@code step} of the handshake; a failure, a timeout or an interrupt closes the client (with
     * {@code close}) and becomes the {@link UdpixException} {@link UdpixClient.Builder#connect()} documents.
     */
    <T> T whileConnecting(Future<T> step, long waitMs, Runnable close) throws UdpixException {
        try {
            return step.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            close.run();
            throw UdpixException.copyOnCallerThread(e.getCause());
        } catch (TimeoutException e) {
            close.run();
            throw new UdpixException(UdpixException.Kind.UNREACHABLE, -1, "no answer from "
                    + Addresses.text(server) + " within " + Addresses.duration(connectTimeoutNs)
                    + "; is `udpix serve` running there?", e);
        } catch (InterruptedException e) {
            close.run();
            Thread.currentThread().interrupt();
            throw new UdpixException(UdpixException.Kind.CANCELLED, -1, "interrupted while connecting to "
                    + Addresses.text(server), e);
        }
    }

    /** Routes one event (I/O thread). */
    void onEvent(EndpointEvent event) {
        long nowNs = System.nanoTime();
        if (streams.onEvent(event)) {
            return;
        }
        if (event instanceof ConnectionEstablished) {
            established.complete(null);
        } else if (event instanceof ConnectionClosed c) {
            onClosed(c);
        } else {
            sends.onEvent(event, nowNs);
        }
    }

    private void onClosed(ConnectionClosed c) {
        boolean wasEstablished = established.isDone() && !established.isCompletedExceptionally();
        String message;
        if (c.errorCode() == ErrorCode.HANDSHAKE_TIMEOUT) {
            message = "no answer from " + Addresses.text(server) + " within " + Addresses.duration(connectTimeoutNs)
                    + "; is `udpix serve` running there?";
        } else if (!wasEstablished && !c.reason().isEmpty()) {
            message = c.reason(); // The engine's handshake reasons already name the server and the cause.
        } else if (c.reason().isEmpty()) {
            message = "the connection to " + Addresses.text(server) + " closed: " + ErrorCode.describe(c.errorCode());
        } else {
            message = "the connection to " + Addresses.text(server) + " closed: " + c.reason();
        }
        int code = c.errorCode() == ErrorCode.OK ? ErrorCode.CLOSED : c.errorCode();
        UdpixException failure = new UdpixException(UdpixException.kindOf(code, !wasEstablished), code, message,
                null);
        closedBecause = failure;
        established.completeExceptionally(failure);
        streams.connectionClosed(failure);
        requests.failAll(connectionId.getAsLong(), failure);
        sends.connectionClosed(failure);
    }
}
