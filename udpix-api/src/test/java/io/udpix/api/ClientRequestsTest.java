package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** A client's waiting requests: replies complete or fail them, and replies arriving at once share a memory bound. */
class ClientRequestsTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 9000);
    private static final long CONN = 42;
    private static final long MIB = 1 << 20;

    private final ClientRequests requests = new ClientRequests(SERVER, 1_000_000_000L, 20 * MIB, 16);

    private PendingRequest request(int id) {
        PendingRequest waiting = new PendingRequest(Item.bytes(new byte[1], "req-" + id), new CompletableFuture<>(),
                System.nanoTime());
        requests.waiting(CONN, id, waiting);
        return waiting;
    }

    private TransferSink reply(int requestId, long sizeBytes, Map<String, String> meta)
            throws TransferRefusedException {
        return requests.matcher().open(CONN, 100 + requestId, SERVER, new TransferInfo(0, "reply", "", sizeBytes,
                null, ItemExtensions.NONE.withReplyTo(requestId).withMeta(meta)));
    }

    @Test
    void refusesAReplyBeyondTheBoundOnRepliesArrivingAtOnceAndFailsItsRequest() throws Exception {
        List<PendingRequest> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(request(i));
        }
        List<TransferSink> sinks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sinks.add(reply(i, 20 * MIB, Map.of())); // 80 MiB: 4 x the 20 MiB limit
        }

        assertThatThrownBy(() -> reply(4, 1, Map.of())).isInstanceOfSatisfying(TransferRefusedException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SERVER_BUSY))
                .hasMessageContaining("already receives 83886080 bytes of replies");
        assertThat(waiting.get(4).future).isCompletedExceptionally();

        sinks.get(0).abort("stalled");
        assertThatThrownBy(() -> waiting.get(0).future.get()).hasMessageContaining("did not arrive: stalled");
        PendingRequest next = request(5);
        TransferSink sink = reply(5, 3, Map.of("k", "v"));
        sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        sink.complete(new byte[32]);
        assertThat(next.future.get().bytes()).hasValue(new byte[] {1, 2, 3});
        assertThat(next.future.get().meta()).containsEntry("k", "v");
    }

    @Test
    void failsTheRequestWithTheServersErrorFromAnErrorReply() throws Exception {
        PendingRequest waiting = request(7);
        TransferSink sink = reply(7, 0, Reply.error("lens cap on").toItem().meta());
        sink.complete(new byte[32]);

        assertThatThrownBy(() -> waiting.future.get()).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("request 'req-7' failed at 127.0.0.1:9000: lens cap on");
    }

    @Test
    void failsEveryWaitingRequestWhenTheConnectionEndsAndRefusesTheirLateReplies() {
        PendingRequest a = request(1);
        PendingRequest b = request(2);

        requests.failAll(CONN, null);

        assertThat(a.future).isCompletedExceptionally();
        assertThat(b.future).isCompletedExceptionally();
        assertThatThrownBy(() -> reply(1, 10, Map.of())).isInstanceOf(TransferRefusedException.class);
        assertThat(requests.matcher().refusedUnsolicited()).isEqualTo(1);
    }
}
