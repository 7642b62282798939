package io.udpix.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferInfo;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A requesting client takes only replies to its own waiting requests, each once and within the size limit. */
class ReplyMatcherTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 9000);
    private static final long CONN = 0x1234L;

    private final List<String> opened = new ArrayList<>();
    private final List<String> refusedReplies = new ArrayList<>();
    private final ReplyMatcher matcher = new ReplyMatcher(4, 1_000, new ReplyMatcher.ReplySinks() {
        @Override
        public TransferSink open(long connectionId, int requestId, TransferInfo info) {
            opened.add(connectionId + "/" + requestId);
            return DiscardSink.INSTANCE;
        }

        @Override
        public void refused(long connectionId, int requestId, int code, String reason) {
            refusedReplies.add(requestId + ":" + code + ":" + reason);
        }
    });

    private static TransferInfo reply(long replyTo, long sizeBytes) {
        ItemExtensions ext = replyTo < 0 ? ItemExtensions.NONE : ItemExtensions.NONE.withReplyTo(replyTo);
        return new TransferInfo(0, "reply", "", sizeBytes, new byte[32], ext);
    }

    @Test
    void takesTheReplyToAWaitingRequestOnceAndRefusesASecond() throws Exception {
        matcher.expect(CONN, 7);

        assertThat(matcher.open(CONN, 0, PEER, reply(7, 10))).isNotNull();
        assertThatThrownBy(() -> matcher.open(CONN, 1, PEER, reply(7, 10)))
                .isInstanceOfSatisfying(TransferRefusedException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.REFUSED))
                .hasMessageContaining("no request 7 waiting");
        assertThat(opened).containsExactly(CONN + "/7");
        assertThat(matcher.refusedUnsolicited()).isEqualTo(1);
        assertThat(matcher.waitingCount()).isZero();
    }

    @Test
    void refusesAndCountsAnItemWithoutReplyToOrForAnotherConnectionOrAForgottenRequest() {
        matcher.expect(CONN, 1);
        matcher.expect(CONN, 2);
        matcher.forget(CONN, 2);

        assertThatThrownBy(() -> matcher.open(CONN, 0, PEER, reply(-1, 10)))
                .hasMessageContaining("only replies to its own requests");
        assertThatThrownBy(() -> matcher.open(CONN + 1, 0, PEER, reply(1, 10)))
                .isInstanceOf(TransferRefusedException.class);
        assertThatThrownBy(() -> matcher.open(CONN, 1, PEER, reply(2, 10)))
                .isInstanceOf(TransferRefusedException.class);
        assertThat(matcher.refusedUnsolicited()).isEqualTo(3);
        assertThat(opened).isEmpty();
        assertThat(matcher.isWaiting(CONN, 1)).isTrue();
    }

    @Test
    void refusesAReplyLargerThanTheLimitAndTellsWhoseRequestItWas() {
        matcher.expect(CONN, 3);

        assertThatThrownBy(() -> matcher.open(CONN, 0, PEER, reply(3, 1_001)))
                .isInstanceOfSatisfying(TransferRefusedException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessageContaining("1001 bytes exceeds this client's limit of 1000");
        assertThat(refusedReplies).singleElement().asString().startsWith("3:" + ErrorCode.TOO_LARGE);
        assertThat(matcher.refusedTooLarge()).isEqualTo(1);
        assertThat(matcher.isWaiting(CONN, 3)).isFalse();
    }

    @Test
    void matchesARequestIdAboveTwoToTheThirtyOneAsTheWiresUnsignedNumber() throws Exception {
        int requestId = (int) 0x8000_0001L; // negative as a Java int
        matcher.expect(CONN, requestId);

        matcher.open(CONN, 0, PEER, reply(0x8000_0001L, 10));
        assertThat(opened).containsExactly(CONN + "/" + requestId);
    }

    @Test
    void waitsForAtMostItsBoundOfRequestsAndForgetsAClosedConnectionsOnes() {
        for (int i = 0; i < 4; i++) {
            assertThat(matcher.expect(CONN, i)).isTrue();
        }
        assertThat(matcher.expect(CONN, 4)).isFalse();

        matcher.forgetConnection(CONN);
        assertThat(matcher.waitingCount()).isZero();
        assertThat(matcher.expect(CONN + 1, 0)).isTrue();
    }
}
