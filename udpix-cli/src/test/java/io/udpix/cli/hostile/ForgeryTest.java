package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.cli.TestFiles;
import io.udpix.cli.TestSeeds;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An on-path observer (a relay that sees and can inject every datagram) or an off-path one forges, replays and
 * damages packets of a real transfer: the transfer still completes exactly, nothing is confirmed that the server
 * did not store, and every bad datagram is dropped and counted.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ForgeryTest {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(12);

    @TempDir
    Path temp;

    @Test
    void aForgedCloseFromTheObserverDoesNotEndTheTransfer() throws Exception {
        forgedClosesDoNotEndTheTransfer(TestSeeds.seed(6001), false);
    }

    @Test
    void aForgedCloseFromAnotherAddressDoesNotEndTheTransfer() throws Exception {
        forgedClosesDoNotEndTheTransfer(TestSeeds.seed(6002), true);
    }

    /**
     * Five CLOSEs forged from what the relay saw (the server's connection id, packet numbers just ahead of the
     * client's, as an observer would pick them to be taken), injected on the path or sent from another address:
     * the 8 MiB item still arrives exact and each forgery is dropped and counted.
     */
    private void forgedClosesDoNotEndTheTransfer(long seed, boolean fromAnotherAddress) throws Exception {
        byte[] content = TestFiles.bytes(8 << 20, new SplittableRandom(seed));
        Path dir = temp.resolve("received");
        try (UdpixServer server = HostileServers.start(dir, b -> { });
             RecordingRelay relay = new RecordingRelay(server.localAddresses().get(0));
             UdpixClient client = UdpixClient.builder(relay.address()).connect();
             RawPeer third = fromAnotherAddress ? RawPeers.connect(server.localAddresses().get(0),
                     RawPeers.otherLoopback(), new SplittableRandom(seed)) : null) {
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(content, "payload.bin"));
            awaitDataPackets(relay, RecordingRelay.Direction.TO_SERVER, 10);
            long before = HostileServers.rejectedDatagrams(server.stats());
            var seen = relay.recorded();
            long serverId = Observer.serverConnectionId(seen);
            long next = Observer.highestPacketNumber(seen, RecordingRelay.Direction.TO_SERVER) + 1;
            int forged = 5;
            for (int i = 0; i < forged; i++) {
                byte[] close = Observer.forge(seen, serverId, next + 100 + i, Frames.close(ErrorCode.OK, "forged"));
                if (third != null) {
                    third.sendRaw(close);
                } else {
                    relay.injectToServer(close);
                }
            }

            SendResult result = sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(result.sha256Hex()).as("seed=%d", seed).isEqualTo(hex(Observer.sha256(content)));
            assertThat(Files.readAllBytes(dir.resolve("payload.bin"))).as("seed=%d", seed).isEqualTo(content);
            assertThat(HostileServers.rejectedDatagrams(server.stats()) - before)
                    .as("seed=%d: forged CLOSEs dropped and counted: %s", seed, server.stats())
                    .isGreaterThanOrEqualTo(forged);
        }
    }

    @Test
    void aForgedResultOkIsNotTakenAsConfirmationOfAnItemTheServerNeverStored() throws Exception {
        long seed = TestSeeds.seed(6003);
        byte[] content = TestFiles.bytes(256 << 10, new SplittableRandom(seed));
        byte[] sha256 = Observer.sha256(content); // The observer saw it in the OPEN.
        Path dir = temp.resolve("received");
        try (UdpixServer server = HostileServers.start(dir, b -> { });
             RecordingRelay relay = new RecordingRelay(server.localAddresses().get(0));
             UdpixClient client = UdpixClient.builder(relay.address()).idleTimeout(Duration.ofSeconds(4))
                     .connect()) {
            // From now on nothing reaches the server: whatever the client hears about its item is forged.
            relay.mutator((direction, bytes) -> direction == RecordingRelay.Direction.TO_SERVER ? null : bytes);
            CompletableFuture<SendResult> sent = client.sendAsync(Item.bytes(content, "never.bin"));
            awaitDataPackets(relay, RecordingRelay.Direction.TO_SERVER, 3);
            var seen = relay.recorded();
            long clientId = Observer.clientConnectionId(seen);
            long next = Observer.highestPacketNumber(seen, RecordingRelay.Direction.TO_CLIENT) + 1;
            for (int i = 0; i < 5; i++) {
                relay.injectToClient(Observer.forge(seen, clientId, next + i,
                        Frames.result(0, ErrorCode.OK, sha256)));
            }

            assertThatThrownBy(() -> sent.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("seed=%d: the send must fail (the server never got the item), not succeed", seed)
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
            assertThat(Files.exists(dir.resolve("never.bin"))).isFalse();
            assertThat(clientId).as("the observer saw the client's connection ID").isNotZero();
        }
    }

    @Test
    void aForgedResultOkDuringATransferIsIgnoredAndTheSendSucceedsOnlyOnceTheServerStoredTheItem()
            throws Exception {
        long seed = TestSeeds.seed(6006);
        byte[] content = TestFiles.bytes(8 << 20, new SplittableRandom(seed));
        byte[] sha256 = Observer.sha256(content); // The observer saw it in the OPEN.
        Path dir = temp.resolve("received");
        try (UdpixServer server = HostileServers.start(dir, b -> { });
             RecordingRelay relay = new RecordingRelay(server.localAddresses().get(0));
             UdpixClient client = UdpixClient.builder(relay.address()).connect()) {
            // Whether the server had the item at the moment the client reported success.
            CompletableFuture<Boolean> storedWhenConfirmed = client.sendAsync(Item.bytes(content, "payload.bin"))
                    .thenApply(r -> Files.exists(dir.resolve("payload.bin")));
            awaitDataPackets(relay, RecordingRelay.Direction.TO_SERVER, 10);
            var seen = relay.recorded();
            long clientId = Observer.clientConnectionId(seen);
            long next = Observer.highestPacketNumber(seen, RecordingRelay.Direction.TO_CLIENT) + 1;
            for (int i = 0; i < 5; i++) {
                relay.injectToClient(Observer.forge(seen, clientId, next + 50 + i,
                        Frames.result(0, ErrorCode.OK, sha256)));
            }

            assertThat(storedWhenConfirmed.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .as("seed=%d: success was reported only once the server had stored the item", seed).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("payload.bin"))).as("seed=%d", seed).isEqualTo(content);
        }
    }

    @Test
    void replayedDatagramsAreDroppedAndCountedAndTheTransferIsExact() throws Exception {
        long seed = TestSeeds.seed(6004);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] content = TestFiles.bytes(8 << 20, random);
        Path dir = temp.resolve("received");
        AtomicInteger replayed = new AtomicInteger();
        try (UdpixServer server = HostileServers.start(dir, b -> { });
             RecordingRelay relay = new RecordingRelay(server.localAddresses().get(0));
             UdpixClient client = UdpixClient.builder(relay.address()).connect()) {
            long before = HostileServers.rejectedDatagrams(server.stats());
            relay.mutator((direction, bytes) -> {
                if (direction == RecordingRelay.Direction.TO_SERVER) {
                    var seen = relay.recorded();
                    if (seen.size() > 40 && seen.size() % 10 == 0) {
                        // Replay a datagram that went to the server a while ago.
                        RecordingRelay.Datagram old = seen.get(seen.size() - 30);
                        if (old.direction() == RecordingRelay.Direction.TO_SERVER) {
                            try {
                                relay.injectToServer(old.bytes());
                                replayed.incrementAndGet();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }
                }
                return bytes;
            });

            SendResult result = client.send(Item.bytes(content, "payload.bin"));

            assertThat(result.sha256Hex()).as("seed=%d", seed).isEqualTo(hex(Observer.sha256(content)));
            assertThat(Files.readAllBytes(dir.resolve("payload.bin"))).as("seed=%d", seed).isEqualTo(content);
            assertThat(replayed.get()).as("datagrams replayed").isPositive();
            assertThat(HostileServers.rejectedDatagrams(server.stats()) - before)
                    .as("seed=%d: %d replays dropped and counted: %s", seed, replayed.get(), server.stats())
                    .isGreaterThanOrEqualTo(replayed.get());
        }
    }

    @Test
    void datagramsWithAFlippedBitAreDroppedAndCountedAndTheTransferIsExact() throws Exception {
        long seed = TestSeeds.seed(6005);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] content = TestFiles.bytes(8 << 20, random);
        Path dir = temp.resolve("received");
        AtomicInteger flipped = new AtomicInteger();
        AtomicInteger passed = new AtomicInteger();
        SplittableRandom flips = random.split();
        try (UdpixServer server = HostileServers.start(dir, b -> { });
             RecordingRelay relay = new RecordingRelay(server.localAddresses().get(0));
             UdpixClient client = UdpixClient.builder(relay.address()).connect()) {
            long before = HostileServers.rejectedDatagrams(server.stats());
            relay.mutator((direction, bytes) -> {
                if (direction == RecordingRelay.Direction.TO_SERVER && passed.incrementAndGet() % 10 == 0) {
                    byte[] copy = bytes.clone();
                    // Any bit but the magic's: a datagram without the magic is not udpix at all.
                    int bit = 16 + flips.nextInt(copy.length * 8 - 16);
                    copy[bit / 8] ^= (byte) (1 << (bit % 8));
                    flipped.incrementAndGet();
                    return copy;
                }
                return bytes;
            });

            SendResult result = client.send(Item.bytes(content, "payload.bin"));

            assertThat(result.sha256Hex()).as("seed=%d", seed).isEqualTo(hex(Observer.sha256(content)));
            assertThat(Files.readAllBytes(dir.resolve("payload.bin"))).as("seed=%d", seed).isEqualTo(content);
            assertThat(flipped.get()).isPositive();
            assertThat(HostileServers.rejectedDatagrams(server.stats()) - before)
                    .as("seed=%d: %d damaged datagrams dropped and counted: %s", seed, flipped.get(), server.stats())
                    .isGreaterThanOrEqualTo(flipped.get());
        }
    }

    static void awaitDataPackets(RecordingRelay relay, RecordingRelay.Direction direction, int count)
            throws InterruptedException {
        long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadlineNs) {
            if (Observer.highestPacketNumber(relay.recorded(), direction) + 1 >= count) {
                return;
            }
            Thread.sleep(2);
        }
        throw new AssertionError("fewer than " + count + " DATA packets crossed the relay within 5 s");
    }

    static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
