package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.connection.HandshakeParams;
import io.udpix.engine.crypto.HandshakeState;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.wire.Cookie;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.HelloPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RFC 9000 section 8: a flood of handshakes from spoofed addresses leaves the server with bounded state (no
 * connection, at most half of the half-open table before RETRY takes over, and the table never beyond its
 * budget, all of it gone after twice the handshake timeout), and the server never sends an unvalidated address more than three times what it received from it.
 * Every HELLO carries a valid Noise message 1, so the server really does the Diffie-Hellman work it is willing to.
 */
class AddressValidationTest {
    static final int ADDRESSES = 100_000;

    @Test
    void aSpoofedHandshakeFloodLeavesBoundedStateAndIsNeverAmplified() throws Exception {
        long seed = Long.getLong("udpix.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                SinkFactory.refuseAll());
        Crc32cProtection crc = new Crc32cProtection();
        SecureRandom secure = new SecureRandom();
        byte[] message1 = HandshakeState.initiator(StaticKeyPair.generate(secure), new byte[0], secure)
                .writeMessage(HandshakeParams.clientBlock());
        int maxHalfOpen = server.config().maxHalfOpen;
        int peakHalfOpen = 0;
        ByteBuffer datagram = ByteBuffer.allocate(65_536);
        ByteBuffer out = ByteBuffer.allocate(65_536);
        Map<InetSocketAddress, long[]> bytesByAddress = new HashMap<>();
        byte[] forgedCookie = new byte[Cookie.LENGTH];
        long nowNs = 1_000_000_000L;
        for (int i = 0; i < ADDRESSES; i++) {
            byte[] ip = {(byte) (11 + (i >>> 16)), (byte) (i >>> 8), (byte) i, (byte) (1 + random.nextInt(250))};
            InetSocketAddress from = new InetSocketAddress(InetAddress.getByAddress(ip), 1024 + random.nextInt(60_000));
            int size = HelloPacket.MIN_DATAGRAM_BYTES + random.nextInt(1200);
            boolean withForgedCookie = random.nextInt(3) == 0;
            random.nextBytes(forgedCookie);
            datagram.clear();
            int payloadEnd = size - crc.overheadBytes();
            HelloPacket.encode(datagram, 0, random.nextLong() | 1, 65_507, 30_000, forgedCookie,
                    withForgedCookie ? Cookie.LENGTH : 0, message1, payloadEnd);
            int n = crc.seal(datagram, 0, payloadEnd);
            datagram.position(0).limit(n);
            server.handleDatagram(from, datagram, nowNs);
            bytesByAddress.computeIfAbsent(from, a -> new long[2])[0] += n;
            drain(server, out, nowNs, bytesByAddress);
            peakHalfOpen = Math.max(peakHalfOpen, server.halfOpenCount());
            nowNs += 10_000;
        }
        server.handleTimeout(nowNs);
        drain(server, out, nowNs, bytesByAddress);
        String context = "seed=" + seed + " " + server.stats();
        assertThat(server.connectionCount()).as(context).isZero();
        assertThat(peakHalfOpen).as(context).isLessThanOrEqualTo(maxHalfOpen / 2);
        server.handleTimeout(nowNs + 2 * server.config().handshakeTimeoutNs);
        assertThat(server.halfOpenCount()).as("half-open handshakes expire; " + context).isZero();
        assertThat(server.reassemblyBytesInUse()).as(context).isZero();
        assertThat(server.stats().retriesSent()).as(context).isGreaterThan(ADDRESSES / 2);
        assertThat(server.stats().drops(DropReason.BAD_COOKIE)).as(context).isGreaterThan(0);
        for (Map.Entry<InetSocketAddress, long[]> e : bytesByAddress.entrySet()) {
            long received = e.getValue()[0];
            long sent = e.getValue()[1];
            assertThat(sent).as("%s: sent %d for %d received; %s", e.getKey(), sent, received, context)
                    .isLessThanOrEqualTo(3 * received);
        }
        assertThat(server.stats().internalErrors()).as(context).isZero();
    }

    private static void drain(Endpoint server, ByteBuffer out, long nowNs, Map<InetSocketAddress, long[]> tally) {
        InetSocketAddress to;
        while ((to = server.pollTransmit(out, nowNs)) != null) {
            tally.computeIfAbsent(to, a -> new long[2])[1] += out.remaining();
        }
    }
}
