package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestSeeds;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One address opens as many tiny file transfers as the server lets it (64 per connection, on as many
 * connections as it gets) and sends none of their data, each holding a temporary file: a client from another
 * address still stores its file.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OpenFilesTest {
    private static final int CONNECTIONS = 80;
    private static final int TRANSFERS_PER_CONNECTION = 64;
    private static final int OPENS_PER_PACKET = 16;

    @TempDir
    Path temp;

    @Test
    void tinyOpensWithoutDataFromOneAddressDoNotStopAnotherAddressStoringItsFile() throws Exception {
        long seed = TestSeeds.seed(4001);
        SplittableRandom random = new SplittableRandom(seed);
        Path out = temp.resolve("received");
        List<RawPeer> attackers = new ArrayList<>();
        try (UdpixServer server = HostileServers.start(out, b -> { })) {
            InetSocketAddress to = server.localAddresses().get(0);
            byte[] sha256 = new byte[32];
            int opened = 0;
            for (int c = 0; c < CONNECTIONS; c++) {
                RawPeer peer = RawPeers.connect(to, RawPeers.loopback(), random);
                attackers.add(peer);
                if (!peer.handshake(Duration.ofSeconds(1)).accepted()) {
                    continue;
                }
                for (int first = 0; first < TRANSFERS_PER_CONNECTION; first += OPENS_PER_PACKET) {
                    byte[][] opens = new byte[OPENS_PER_PACKET][];
                    for (int i = 0; i < OPENS_PER_PACKET; i++) {
                        opens[i] = Frames.open(first + i, Frames.KIND_FILE, 10, sha256, "text/plain", "f.txt");
                    }
                    peer.sendFrames(opens);
                    opened += OPENS_PER_PACKET;
                }
            }
            Thread.sleep(300); // Let the server take every OPEN.
            String figures = String.format("seed=%d: %d OPENs sent, %d items open at the server; %s", seed, opened,
                    server.activeItems(), server.stats());

            Path file = temp.resolve("innocent.txt");
            Files.writeString(file, "the innocent file");
            try (UdpixClient innocent = HostileServers.client(to, RawPeers.otherLoopback())) {
                SendResult sent = innocent.send(Item.file(file));
                assertThat(sent.sizeBytes()).as(figures).isEqualTo(17);
            }
            assertThat(Files.readString(out.resolve("innocent.txt"))).as(figures).isEqualTo("the innocent file");
        } finally {
            attackers.forEach(RawPeer::close);
        }
    }
}
