package io.udpix.api;

import io.udpix.api.stream.Frame;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * Where a server hands every verified item so that other programs get it (a distributed log such as Kafka:
 * {@code io.udpix.kafka.KafkaItemPublisher} in udpix-kafka; docs/KAFKA.md). With a publisher
 * ({@link UdpixServer.Builder#publisher(ItemPublisher)}) the server confirms an item to its sender (the RESULT the
 * sender waits for) only after the stage {@link #publish} returned completed normally, i.e. once the item is
 * durable there; a stage that fails makes the sender's send fail with {@code SERVER_BUSY} and the reason.
 *
 * <p><b>Bounded.</b> The server {@link #reserve reserves} room for an item when it is announced, before any byte
 * of it is sent; a publisher that is full (its destination slow or down) refuses with a
 * {@link PublisherRefusedException}, which the sender gets as {@code SERVER_BUSY} ("try again later": {@code udpix
 * send --retry N} does) or {@code TOO_LARGE}. Implementations give each sender address only a share of their room
 * (see {@link PublisherBudget}), so one sender cannot fill it for the others.
 *
 * <p><b>Threads.</b> {@link #reserve} runs on a port's I/O thread and must not block; {@link #publish} runs on a
 * storage thread or an I/O thread and must not block either (hand the work to a thread of your own); the stage may
 * complete on any thread (the server continues on its own). The server does not close its publisher: the
 * application does, after closing the server.
 */
public interface ItemPublisher extends AutoCloseable {

    /**
     * Room for one announced item of {@code kind} and {@code sizeBytes} from {@code sender}, held until it is given to
     * {@link #publish} (which then owns it) or {@link Reservation#release() released} (the item failed).
     *
     * @throws PublisherRefusedException when the item cannot be taken now (full: try later) or at all (too large)
     */
    Reservation reserve(InetSocketAddress sender, ItemKind kind, long sizeBytes) throws PublisherRefusedException;

    /**
     * Publishes a verified item held by {@code reservation}; the stage completes normally once the item is
     * durable at the destination, exceptionally (with the reason) when it cannot be made so. The reservation is
     * released when the stage completes, either way.
     */
    CompletionStage<Void> publish(Reservation reservation, PublishedItem item);

    /**
     * Offers a frame of an incoming stream (best effort: frames are not confirmed to their sender, a publisher may
     * skip some by its own rule or when it is full). Runs on the server's frame thread. The default takes none.
     */
    default void offerFrame(Frame frame) {
    }

    /** Stops the publisher; items not yet durable fail. */
    @Override
    void close();

    /** Room held for one item; see {@link #reserve}. */
    interface Reservation {
        /** Gives the room back without publishing (the item failed or was refused); idempotent. */
        void release();
    }
}
