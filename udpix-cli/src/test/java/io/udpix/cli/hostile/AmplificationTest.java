package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.UdpixServer;
import io.udpix.cli.TestSeeds;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Anti-amplification (RFC 9000 section 8.1) measured on real sockets: whatever an unvalidated address sends, the
 * server's replies to it add up to at most 3x the bytes it received from that address, so a spoofed source
 * cannot use the server to flood a victim.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class AmplificationTest {

    private static final Duration SETTLE = Duration.ofMillis(800);
    private static final Duration DRAIN = Duration.ofMillis(20);

    @Test
    void everyReplyToAnUnvalidatedAddressIsAtMostThreeTimesWhatItSent() throws Exception {
        long seed = TestSeeds.seed(9001);
        SplittableRandom random = new SplittableRandom(seed);
        try (UdpixServer server = UdpixServer.builder().port(0).start()) {
            InetSocketAddress to = server.localAddresses().get(0);
            Map<String, byte[]> probes = probes(to, random);
            List<RawPeer> peers = new ArrayList<>();
            try {
                // Each probe from its own fresh socket: each is an address the server has never validated.
                for (byte[] probe : probes.values()) {
                    RawPeer peer = RawPeers.connect(to, RawPeers.loopback(), random);
                    peers.add(peer);
                    peer.sendRaw(probe);
                }
                Thread.sleep(SETTLE.toMillis()); // Every reply has arrived by then on loopback.
                int i = 0;
                long totalSent = 0;
                long totalReceived = 0;
                for (Map.Entry<String, byte[]> probe : probes.entrySet()) {
                    RawPeer peer = peers.get(i++);
                    while (peer.receive(DRAIN) != null) {
                        // Drain every reply; the peer counts their bytes.
                    }
                    totalSent += peer.bytesSent();
                    totalReceived += peer.bytesReceived();
                    assertThat(peer.bytesReceived())
                            .as("seed=%d: replies to %s (%d bytes sent)", seed, probe.getKey(), peer.bytesSent())
                            .isLessThanOrEqualTo(3 * peer.bytesSent());
                }
                System.out.printf("amplification: %d bytes sent in %d probes, %d bytes of replies%n", totalSent,
                        probes.size(), totalReceived);
                assertThat(peers.get(0).bytesReceived()).as("seed=%d: the first handshake datagram is answered",
                        seed).isPositive();
                assertThat(totalReceived).as("seed=%d", seed).isLessThanOrEqualTo(3 * totalSent);
            } finally {
                peers.forEach(RawPeer::close);
            }
        }
    }

    /** Datagrams an attacker would try, by name: handshakes whole and cut, versions, unknown connections, junk. */
    private static Map<String, byte[]> probes(InetSocketAddress to, SplittableRandom random) {
        Map<String, byte[]> probes = new LinkedHashMap<>();
        int version;
        try (RawPeer helper = RawPeers.connect(to, RawPeers.loopback(), random)) {
            byte[] hello = helper.helloDatagram();
            version = hello[2] & 0xFF; // The version the product speaks.
            probes.put("a first handshake datagram", hello);
            for (int cut : new int[] {600, 512, 300, 100, 40, 21}) {
                probes.put("a handshake datagram cut to " + cut + " bytes", resealed(Arrays.copyOf(hello, cut)));
            }
        }
        for (int length : new int[] {20, 21, 64, 512}) {
            byte[] unknownVersion = header(length, 0x7F, 0x01, random.nextLong());
            probes.put("an unknown version, " + length + " bytes", resealed(unknownVersion));
            byte[] unknownConnection = header(length, version, 0x10, random.nextLong());
            probes.put("DATA for an unknown connection, " + length + " bytes", resealed(unknownConnection));
        }
        for (int length : new int[] {1, 4, 19, 100, 1400}) {
            byte[] junk = new byte[length];
            for (int i = 0; i < length; i++) {
                junk[i] = (byte) random.nextInt(256);
            }
            if (length >= 2) {
                junk[0] = 0x55; // The magic, so the junk reaches past the first check.
                junk[1] = 0x58;
            }
            probes.put("random bytes, " + length, junk);
        }
        return probes;
    }

    private static byte[] header(int length, int version, int type, long connectionId) {
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x55).put((byte) 0x58).put((byte) version).put((byte) type).putLong(connectionId).putInt(0);
        return b.array();
    }

    /** With a fresh CRC32C tag (what handshake packets carry), so the probe passes that check; anyone can. */
    private static byte[] resealed(byte[] datagram) {
        if (datagram.length < 20) {
            return datagram;
        }
        return Crc32cTags.seal(datagram, datagram.length - Crc32cTags.TAG_BYTES);
    }
}
