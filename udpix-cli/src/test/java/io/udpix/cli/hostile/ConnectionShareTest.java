package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestSeeds;
import io.udpix.wire.ErrorCode;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One address asks for every connection slot of the server: it gets its share and SERVER_BUSY beyond it, and a
 * client from another address (127.0.0.2) still connects and sends.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConnectionShareTest {
    private static final int MAX_CONNECTIONS = 64;

    @TempDir
    Path temp;

    @Test
    void oneAddressGetsItsShareOfConnectionsAndAnotherAddressStillConnectsAndSends() throws Exception {
        long seed = TestSeeds.seed(2001);
        SplittableRandom random = new SplittableRandom(seed);
        Path out = temp.resolve("received");
        try (UdpixServer server = HostileServers.start(out, b -> b.maxConnections(MAX_CONNECTIONS));
             DatagramSocket socket = RawPeers.socket(RawPeers.loopback())) {
            InetSocketAddress to = server.localAddresses().get(0);
            int accepted = 0;
            int busy = 0;
            for (int i = 0; i < MAX_CONNECTIONS + 16; i++) {
                RawPeer.Handshake h = RawPeers.onSocket(socket, to, random).handshake(Duration.ofSeconds(2));
                if (h.accepted()) {
                    accepted++;
                } else if (h.errorCode() == ErrorCode.SERVER_BUSY) {
                    busy++;
                }
            }
            String figures = String.format("seed=%d: attacker %d accepted, %d SERVER_BUSY; %s", seed, accepted,
                    busy, server.stats());

            try (UdpixClient innocent = HostileServers.client(to, RawPeers.otherLoopback())) {
                SendResult sent = innocent.send(Item.jsonText("[1]"));
                assertThat(sent.sizeBytes()).as(figures).isEqualTo(3);
            }
            assertThat(Files.readString(out.resolve("messages.jsonl"))).contains("\"value\":[1]");
            assertThat(accepted).as(figures).isLessThan(MAX_CONNECTIONS);
            assertThat(busy).as(figures).isGreaterThanOrEqualTo(16);
            assertThat(HostileServers.drops(server.stats(), "CONNECTION_"))
                    .as("refused handshakes counted: " + figures).isGreaterThanOrEqualTo(busy);
        }
    }
}
