package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.DriverOptions;
import io.udpix.driver.Seeds;
import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.engine.transfer.TransferSink;
import io.udpix.engine.transfer.TransferSource;
import io.udpix.wire.TransferKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real engine transfer over loopback through the epoll driver (GSO out, GRO in): 64 MiB, SHA-256 checked. */
class EpollFileTransferTest {
    static final long SIZE_BYTES = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void movesASixtyFourMebibyteFileOverLoopbackExactlyWithGso() throws Exception {
        Loopback.assumeEpoll();
        long seed = Seeds.seed();
        Path source = dir.resolve("source.bin");
        Path target = dir.resolve("received.bin");
        writeRandomFile(source, SIZE_BYTES, seed);
        byte[] sha = sha256(source);

        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                (id, peer, info) -> new FileSink(target));
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(), SinkFactory.refuseAll());
        CompletableFuture<EndpointEvent> outcome = new CompletableFuture<>();
        try (EpollDriver serverDriver = EpollDriver.start(server, new InetSocketAddress("127.0.0.1", 0),
                DriverOptions.defaults(), e -> { });
                FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                EpollDriver clientDriver = EpollDriver.start(client, new InetSocketAddress("127.0.0.1", 0),
                        DriverOptions.defaults(), e -> {
                            if (e instanceof TransferCompleted || e instanceof TransferFailed) {
                                outcome.complete(e);
                            }
                        })) {
            InetSocketAddress to = serverDriver.localAddress();
            TransferSource src = (offset, dst) -> in.read(dst, offset);
            clientDriver.execute(ep -> {
                long now = System.nanoTime();
                long conn = client.connect(to, now);
                client.send(conn, new TransferRequest(new TransferInfo(TransferKind.FILE, "source.bin",
                        "application/octet-stream", SIZE_BYTES, sha), src), now);
            });
            EndpointEvent e = outcome.get(5, TimeUnit.MINUTES);
            assertThat(e).as("seed=%d server=%s", seed, server.stats()).isInstanceOf(TransferCompleted.class);
            EpollStats sent = Loopback.settledEpollStats(clientDriver);
            if (EpollDriver.isGsoSupported()) {
                assertThat(sent.gsoSegments()).as("datagrams sent in GSO batches, seed=%d, %s", seed, sent)
                        .isPositive();
            }
        }
        assertThat(Files.size(target)).isEqualTo(SIZE_BYTES);
        assertThat(HexFormat.of().formatHex(sha256(target))).isEqualTo(HexFormat.of().formatHex(sha));
    }

    static void writeRandomFile(Path path, long size, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[1 << 20];
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            for (long done = 0; done < size; done += block.length) {
                random.nextBytes(block);
                out.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - done)));
            }
        }
    }

    static byte[] sha256(Path path) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    /** Writes in order to a file; the engine verifies the SHA-256 before complete(). */
    static final class FileSink implements TransferSink {
        private final FileChannel out;

        FileSink(Path path) {
            try {
                out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return out.write(src);
        }

        @Override
        public void complete(byte[] sha256) throws IOException {
            out.close();
        }

        @Override
        public void abort(String reason) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }
}
