package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.connection.ConnectionProtection;
import io.udpix.engine.crypto.PacketCipher;
import io.udpix.engine.crypto.PacketCipherTwins;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.ResumeFrame;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The sender's side of resume (docs/PROTOCOL.md sections 4.8b and 5.5), against a receiver the test speaks for:
 * the real server's datagrams are dropped once the connection is up, and RESUME frames are injected sealed with its
 * live keys.
 */
class EndpointResumeTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);
    private static final long INJECTED_FIRST_PACKET_NUMBER = 1 << 20;
    private static final int SIZE = 300_000;

    private final MiniNet net = new MiniNet(7, 5_000_000, 0);
    private final Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(7)
            .pathMtuDiscovery(false).build(), SinkFactory.refuseAll());
    private final Endpoint client = new Endpoint(EndpointConfig.builder().seed(8).pathMtuDiscovery(false).build(),
            SinkFactory.refuseAll());
    private final List<EndpointEvent> clientEvents = new ArrayList<>();
    private long serverConnectionId;
    private long clientConnectionId;
    private long nextInjected = INJECTED_FIRST_PACKET_NUMBER;

    private void drain() {
        for (EndpointEvent e = server.pollEvent(); e != null; e = server.pollEvent()) {
            if (e instanceof ConnectionEstablished est) {
                serverConnectionId = est.connectionId();
            }
        }
        for (EndpointEvent e = client.pollEvent(); e != null; e = client.pollEvent()) {
            clientEvents.add(e);
        }
    }

    /** Connects, then silences the real server: from now on only injected packets reach the client. */
    private void connectAndSilenceServer() {
        net.attach(SERVER, server);
        net.attach(CLIENT, client);
        clientConnectionId = client.connect(SERVER, 0);
        boolean up = net.runUntil(() -> {
            drain();
            return serverConnectionId != 0 && clientEvents.stream().anyMatch(e -> e instanceof ConnectionEstablished);
        }, 10_000_000_000L);
        assertThat(up).as("handshake").isTrue();
        net.runUntil(() -> false, net.nowNs() + 200_000_000L); // the FINISH's acknowledgements settle
        net.dropIf((from, bytes) -> from.equals(SERVER));
    }

    private void sendResumable(byte[] payload) throws Exception {
        TransferInfo info = new TransferInfo(TransferKind.FILE, "big.bin", "application/octet-stream",
                payload.length, MessageDigest.getInstance("SHA-256").digest(payload),
                ItemExtensions.NONE.withResumable());
        assertThat(client.send(clientConnectionId, new TransferRequest(info, new ByteArraySource(payload)),
                net.nowNs())).isGreaterThanOrEqualTo(0);
    }

    private void injectResume(long transferId, long offset) {
        PacketCipher keys = PacketCipherTwins.sendingTwin(
                (PacketCipher) ConnectionProtection.of(server.connection(serverConnectionId)));
        ByteBuffer b = ByteBuffer.allocate(2048);
        int end = PacketHeader.write(b, 0, PacketType.DATA, server.connection(serverConnectionId).peerId(),
                nextInjected++);
        end = ResumeFrame.encode(b, end, transferId, offset);
        end = keys.seal(b, 0, end);
        net.inject(SERVER, CLIENT, Arrays.copyOf(b.array(), end));
    }

    private void runFor(long ns) {
        long until = net.nowNs() + ns;
        net.runUntil(() -> {
            drain();
            return false;
        }, until);
        drain();
    }

    private long chunkBytesSent() {
        return client.connectionStats(clientConnectionId).chunkBytesSent();
    }

    private static byte[] payload() {
        byte[] b = new byte[SIZE];
        new SplittableRandom(3).nextBytes(b);
        return b;
    }

    @Test
    void aResumableSenderSendsNoChunkBeforeTheResumeThenStartsAtItsOffset() throws Exception {
        connectAndSilenceServer();
        sendResumable(payload());

        runFor(2_000_000_000L); // the OPEN goes (again and again, unacknowledged), no CHUNK
        assertThat(chunkBytesSent()).as("chunk bytes before RESUME").isZero();

        injectResume(0, 200_000);
        runFor(50_000_000L);
        assertThat(chunkBytesSent()).as("after RESUME(200000): only bytes from there").isPositive()
                .isLessThanOrEqualTo(SIZE - 200_000);
        assertThat(clientEvents).noneMatch(e -> e instanceof TransferFailed);
    }

    @Test
    void aResumeOffsetBeyondTheSizeFailsTheTransferWithFlowControlViolation() throws Exception {
        connectAndSilenceServer();
        sendResumable(payload());
        runFor(100_000_000L);

        injectResume(0, SIZE + 1L);
        runFor(100_000_000L);

        TransferFailed failed = clientEvents.stream().filter(e -> e instanceof TransferFailed)
                .map(e -> (TransferFailed) e).findFirst().orElseThrow(() -> new AssertionError(clientEvents));
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.FLOW_CONTROL_VIOLATION);
        assertThat(failed.reason()).contains("beyond the item's " + SIZE + " bytes");
        assertThat(chunkBytesSent()).isZero();
        assertThat(clientEvents).noneMatch(e -> e instanceof TransferCompleted);
    }
}
