package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.ConnectionClosed;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.stream.StreamLimits;
import io.udpix.engine.stream.StreamParams;
import io.udpix.wire.ErrorCode;
import org.junit.jupiter.api.Test;

/** Frame streams are negotiated in the handshake's capability blocks (docs/PROTOCOL.md sections 3.7, 5.8.1). */
class StreamNegotiationTest {
    static final long MS = 1_000_000L;

    @Test
    void eachSideLearnsWhetherThePeerTakesStreamsAndItsLimits() {
        StreamPeers p = StreamPeers.connect(
                s -> s.maxStreamsPerConnection(3).maxFrameBytes(5_000_000).streamLatencyBoundsMs(40, 900),
                c -> c.maxStreamsPerConnection(2), 1, 5 * MS);
        var clientSide = p.client.connection(p.clientConnectionId);
        var serverSide = p.server.connection(p.serverConnectionId);
        assertThat(clientSide.peerTakesStreams()).isTrue();
        assertThat(clientSide.peerStreamLimits()).isEqualTo(new StreamLimits(3, 5_000_000, 40, 900));
        assertThat(serverSide.peerTakesStreams()).isTrue();
        assertThat(serverSide.peerStreamLimits()).isEqualTo(new StreamLimits(2, 16L << 20, 0, 10_000));
        assertThat(clientSide.peerStreamLimits().effectiveBudgetMs(150 * MS)).isEqualTo(150);
        assertThat(clientSide.peerStreamLimits().effectiveBudgetMs(10 * MS)).isEqualTo(40);
        assertThat(clientSide.peerStreamLimits().effectiveBudgetMs(5_000 * MS)).isEqualTo(900);
    }

    @Test
    void aSideThatTakesNoStreamsSaysSoAndTheOtherSideKnows() {
        StreamPeers p = StreamPeers.connect(s -> s.acceptStreams(false), c -> { }, 2, 5 * MS);
        assertThat(p.client.connection(p.clientConnectionId).peerTakesStreams()).isFalse();
        assertThat(p.client.connection(p.clientConnectionId).peerStreamLimits()).isNull();
        assertThat(p.server.connection(p.serverConnectionId).peerTakesStreams()).as("the client takes them")
                .isTrue();

        StreamPeers q = StreamPeers.connect(s -> { }, c -> c.acceptStreams(false), 3, 5 * MS);
        assertThat(q.server.connection(q.serverConnectionId).peerTakesStreams()).isFalse();
        assertThat(q.client.connection(q.clientConnectionId).peerTakesStreams()).isTrue();
    }

    @Test
    void openingAStreamToAPeerThatTakesNoneFailsAtOnceWithUnsupportedFeature() {
        StreamPeers p = StreamPeers.connect(s -> s.acceptStreams(false), c -> { }, 4, 5 * MS);
        int id = p.client.openStream(p.clientConnectionId, StreamParams.jpeg("cam"), p.nowNs());
        assertThat(id).isEqualTo(-1);
        assertThat(p.clientEvents(StreamEnded.class)).singleElement().satisfies(e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_FEATURE);
            assertThat(e.incoming()).isFalse();
            assertThat(e.reason()).contains("does not take frame streams").contains("upgrade")
                    .contains(StreamPeers.SERVER.toString());
        });
        p.runFor(200 * MS);
        assertThat(p.serverEvents(ConnectionClosed.class)).as("the connection itself is fine").isEmpty();
    }

    @Test
    void streamFramesToAnEndpointThatDidNotAdvertiseStreamsCloseTheConnectionAsAProtocolViolation() {
        StreamPeers p = StreamPeers.connect(s -> s.acceptStreams(false), c -> { }, 5, 5 * MS);
        p.silenceClient();
        p.injectFromClient(StreamPeers.streamOpen(1, 150, 0));
        // CLOSE goes out at once; the event comes when the closing period (3 PTOs) ends.
        p.runUntil(() -> !p.serverEvents(ConnectionClosed.class).isEmpty(), p.nowNs() + 10_000 * MS);
        assertThat(p.serverEvents(StreamOpened.class)).isEmpty();
        assertThat(p.serverEvents(ConnectionClosed.class)).singleElement().satisfies(e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_VIOLATION);
            assertThat(e.reason()).contains("STREAM_OPEN").contains("acceptStreams");
        });
    }
}
