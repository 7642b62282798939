package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of items that all carry the same name, then an innocent 10 MB item of that name from another
 * address: each copy gets the next free name in one step (the store's count of names tried grows by one per
 * item, not with the copies already there), so the innocent item completes as fast as ever.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NameClashTest {
    private static final int COPIES = 2_000;
    /** A sanity bound only (10 MB over loopback takes well under a second); speed is measured by benchmarks. */
    private static final long INNOCENT_BOUND_MS = 10_000;

    @TempDir
    Path temp;

    @Test
    void thousandsOfItemsWithOneNameLeaveAnInnocentTenMegabyteItemOfThatNameUnslowed() throws Exception {
        long seed = TestSeeds.seed(5001);
        SplittableRandom random = new SplittableRandom(seed);
        Path out = temp.resolve("received");
        try (UdpixServer server = HostileServers.start(out, b -> { })) {
            var to = server.localAddresses().get(0);
            try (UdpixClient flood = HostileServers.client(to, RawPeers.loopback())) {
                List<CompletableFuture<SendResult>> sends = new ArrayList<>();
                for (int i = 0; i < COPIES; i++) {
                    sends.add(flood.sendAsync(Item.bytes(new byte[] {(byte) i, (byte) (i >> 8)}, "a.txt")));
                }
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
            }
            long attemptsAfterCopies = server.stats().nameAttempts();
            byte[] content = TestFiles.bytes(10_000_000, random);
            long startNs = System.nanoTime();
            try (UdpixClient innocent = HostileServers.client(to, RawPeers.otherLoopback())) {
                innocent.send(Item.bytes(content, "a.txt"));
            }
            long innocentMs = (System.nanoTime() - startNs) / 1_000_000;

            assertThat(attemptsAfterCopies).as("one name tried per copy, not one per earlier copy")
                    .isEqualTo(COPIES);
            assertThat(server.stats().nameAttempts() - attemptsAfterCopies)
                    .as("the innocent item's name found in one step after %d copies", COPIES).isEqualTo(1);
            assertThat(innocentMs).as("seed=%d: the innocent 10 MB item took %d ms", seed, innocentMs)
                    .isLessThan(INNOCENT_BOUND_MS);
            assertThat(Files.readAllBytes(out.resolve("a (" + COPIES + ").txt")))
                    .as("the innocent item got the next free name, in one step").isEqualTo(content);
            try (Stream<Path> files = Files.list(out)) {
                assertThat(files.filter(p -> p.getFileName().toString().startsWith("a"))).hasSize(COPIES + 1);
            }
        }
    }
}
