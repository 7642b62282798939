package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tutorial's one-client-per-port limit, gone: many clients share a port and their items stay apart. */
class ConcurrentClientsTest {
    private static final int CLIENTS = 10;

    @TempDir
    Path dir;

    @Test
    void tenClientsAtOnceOnOnePortEachDeliverAnImageAndAFileIntactAndApart() throws Exception {
        long seed = TestSeeds.seed(21);
        Path out = dir.resolve("out");
        Path sources = Files.createDirectories(dir.resolve("sources"));
        List<BufferedImage> images = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            images.add(TestData.image(80 + i, 60 + i, seed + i));
            files.add(TestData.randomFile(sources.resolve("client-" + i + ".bin"), 200_000 + 50_000L * i,
                    seed * 31 + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<SendResult>>> done = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                Callable<List<SendResult>> task = () -> {
                    try (UdpixClient c = UdpixClient.connect(server.localAddresses().get(0))) {
                        go.await();
                        CompletableFuture<SendResult> image = c.sendAsync(
                                Item.image(images.get(client), "png").withName("client-" + client + ".png"));
                        CompletableFuture<SendResult> file = c.sendAsync(Item.file(files.get(client)));
                        return List.of(image.get(60, TimeUnit.SECONDS), file.get(60, TimeUnit.SECONDS));
                    }
                };
                done.add(pool.submit(task));
            }
            go.countDown();
            for (Future<List<SendResult>> f : done) {
                assertThat(f.get(90, TimeUnit.SECONDS)).as("seed=%d", seed).hasSize(2);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        expected.add("messages.jsonl");
        for (int i = 0; i < CLIENTS; i++) {
            expected.add("client-" + i + ".png");
            expected.add("client-" + i + ".bin");
            assertThat(TestData.samePixels(ImageIO.read(out.resolve("client-" + i + ".png").toFile()), images.get(i)))
                    .as("image of client %d, seed=%d", i, seed).isTrue();
            assertThat(TestData.sha256(out.resolve("client-" + i + ".bin")))
                    .as("file of client %d, seed=%d", i, seed).isEqualTo(TestData.sha256(files.get(i)));
        }
        assertThat(TestData.visibleFiles(out)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(TestData.partFiles(out)).isEmpty();
    }
}
