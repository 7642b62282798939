package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.ServerStats;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestSeeds;
import io.udpix.wire.ErrorCode;
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
 * A peer declares 8 transfers of 1 GiB and sends no data while keeping its connection alive, which once held the
 * whole reassembly budget: another address's 3-byte JSON still goes through at once, the attacker is refused
 * beyond its share, and its transfers fail with STALLED after the stall timeout.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReassemblyLockoutTest {
    private static final int DECLARED = 8;
    private static final long GIB = 1L << 30;
    private static final Duration STALL_TIMEOUT = Duration.ofMillis(1_500);
    /** The credit a transfer starts with: the server's 8 MiB window (ACCEPT's initialWindowBytes). */
    private static final long CREDIT_BYTES = 8L << 20;

    @TempDir
    Path temp;

    @Test
    void eightDeclaredGibibyteTransfersWithoutDataLockNobodyOutAndStall() throws Exception {
        long seed = TestSeeds.seed(3001);
        SplittableRandom random = new SplittableRandom(seed);
        Path out = temp.resolve("received");
        try (UdpixServer server = HostileServers.start(out, b -> b.endpointConfig(
                c -> c.stallTimeoutNs(STALL_TIMEOUT.toNanos())));
             RawPeer attacker = RawPeers.connect(server.localAddresses().get(0), RawPeers.loopback(), random)) {
            InetSocketAddress to = server.localAddresses().get(0);
            assertThat(attacker.handshake(Duration.ofSeconds(3)).accepted()).isTrue();
            byte[] sha256 = new byte[32];
            byte[] ahead = new byte[1_000];
            for (int id = 0; id < DECLARED; id++) {
                attacker.sendFrames(Frames.open(id, Frames.KIND_BYTES, GIB, sha256, "application/octet-stream",
                        "big-" + id + ".bin"));
                // One chunk at the far end of the credit and never the bytes before it: the most reassembly
                // memory a transfer can make the receiver hold.
                attacker.sendFrames(Frames.chunk(id, CREDIT_BYTES - ahead.length, ahead));
            }
            PeerPump pump = new PeerPump(attacker);
            pump.run(Duration.ofMillis(300));

            long startNs = System.nanoTime();
            try (UdpixClient innocent = HostileServers.client(to, RawPeers.otherLoopback())) {
                SendResult sent = innocent.send(Item.jsonText("[1]"));
                assertThat(sent.sizeBytes()).isEqualTo(3);
            }
            long innocentMs = (System.nanoTime() - startNs) / 1_000_000;
            assertThat(Files.readString(out.resolve("messages.jsonl"))).contains("\"value\":[1]");
            assertThat(innocentMs).as("seed=%d: the innocent JSON took %d ms", seed, innocentMs)
                    .isLessThan(STALL_TIMEOUT.toMillis());
            ServerStats stats = server.stats();
            System.out.println("reassembly lock-out: " + pump.resultsText() + stats);
            assertThat(pump.refusals() + HostileServers.drops(stats, "REASSEMBLY"))
                    .as("seed=%d: refused, or its data dropped and counted, beyond its share: %s %s", seed,
                            pump.resultsText(), stats).isPositive();

            pump.run(STALL_TIMEOUT.plusMillis(1_500));
            long stalled = pump.transfersWithResult(ErrorCode.STALLED);
            assertThat(stalled + pump.refusals() - stalled).as("seed=%d: %s", seed, pump.resultsText())
                    .isEqualTo(DECLARED);
            assertThat(stalled).as("seed=%d: accepted transfers failed with STALLED: %s", seed, pump.resultsText())
                    .isPositive();
            assertThat(server.activeItems()).as("nothing left open after the stall").isZero();
        }
    }
}
