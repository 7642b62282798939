package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OPEN extension blocks end to end through two engines (docs/PROTOCOL.md section 4.4a). */
class ItemExtensionsTransferTest {
    static final InetSocketAddress SERVER = new InetSocketAddress("10.0.0.1", 9000);
    static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.2", 40000);

    private static final class Run {
        final List<TransferInfo> opened = new ArrayList<>();
        final List<EndpointEvent> clientEvents = new ArrayList<>();
        final MiniNet net;
        final Endpoint server;
        final Endpoint client;

        Run(long seed, double loss, boolean serverAdvertises) {
            server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed)
                    .advertiseItemExtensions(serverAdvertises).build(), (id, peer, info) -> {
                        opened.add(info);
                        return new MemorySink(info.sizeBytes(), b -> { });
                    });
            client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(), SinkFactory.refuseAll());
            net = new MiniNet(seed, 10_000_000L, loss);
            net.attach(SERVER, server);
            net.attach(CLIENT, client);
        }

        boolean sendAndWait(TransferInfo info, byte[] payload) {
            long conn = client.connect(SERVER, 0);
            client.send(conn, new TransferRequest(info, new ByteArraySource(payload)), 0);
            return net.runUntil(() -> {
                EndpointEvent e;
                while ((e = client.pollEvent()) != null) {
                    clientEvents.add(e);
                }
                while (server.pollEvent() != null) {
                    // drained
                }
                return clientEvents.stream().anyMatch(x -> x instanceof TransferCompleted
                        || x instanceof TransferFailed);
            }, 60_000_000_000L);
        }
    }

    @ParameterizedTest(name = "loss={0} seed={1}")
    @CsvSource({"0,1", "0.1,2", "0.3,3"})
    void metadataAndReplyFlagsReachTheReceiversSinkFactoryExactly(double loss, long seed) throws Exception {
        byte[] payload = new byte[3000];
        new SplittableRandom(seed).nextBytes(payload);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("camera", "door-2");
        meta.put("site", "Zürich");
        ItemExtensions x = ItemExtensions.NONE.withMeta(meta).withReplyWanted().withReplyTo(41);
        TransferInfo info = new TransferInfo(TransferKind.IMAGE, "a.jpg", "image/jpeg", payload.length,
                EndpointTransferTest.sha256(payload), x);
        Run run = new Run(seed, loss, true);

        assertThat(run.sendAndWait(info, payload)).as("seed=%d", seed).isTrue();
        assertThat(run.clientEvents).as("seed=%d", seed).anyMatch(e -> e instanceof TransferCompleted);
        assertThat(run.opened).as("seed=%d", seed).hasSize(1);
        ItemExtensions got = run.opened.get(0).extensions();
        assertThat(got.meta()).containsExactly(Map.entry("camera", "door-2"), Map.entry("site", "Zürich"));
        assertThat(got.replyWanted()).isTrue();
        assertThat(got.replyTo()).isEqualTo(41);
        assertThat(got.resumable()).isFalse();
    }

    @ParameterizedTest(name = "seed={0}")
    @CsvSource({"7"})
    void anItemWithMetadataFailsClearlyToAPeerThatDoesNotTakeExtensions(long seed) throws Exception {
        byte[] payload = {1, 2, 3};
        TransferInfo info = new TransferInfo(TransferKind.BYTES, "x", "", payload.length,
                EndpointTransferTest.sha256(payload), ItemExtensions.NONE.withMeta(Map.of("k", "v")));
        Run run = new Run(seed, 0, false);

        assertThat(run.sendAndWait(info, payload)).isTrue();
        TransferFailed failed = (TransferFailed) run.clientEvents.stream().filter(e -> e instanceof TransferFailed)
                .findFirst().orElseThrow();
        assertThat(failed.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_FEATURE);
        assertThat(failed.reason()).contains("does not take item metadata").contains("upgrade");
        assertThat(run.opened).isEmpty();

        // The same peer still takes an item without extensions.
        TransferInfo plain = new TransferInfo(TransferKind.BYTES, "y", "", payload.length,
                EndpointTransferTest.sha256(payload));
        run.clientEvents.clear();
        assertThat(run.sendAndWait(plain, payload)).isTrue();
        assertThat(run.clientEvents).anyMatch(e -> e instanceof TransferCompleted);
        assertThat(run.opened).hasSize(1);
        assertThat(run.opened.get(0).extensions().isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "seed={0}")
    @CsvSource({"8"})
    void aResumableItemWithoutItsHashIsRefusedBeforeItLeaves(long seed) {
        TransferInfo info = new TransferInfo(TransferKind.FILE, "big.bin", "", 10, null,
                ItemExtensions.NONE.withResumable());
        Run run = new Run(seed, 0, true);

        assertThat(run.sendAndWait(info, new byte[10])).isTrue();
        TransferFailed failed = (TransferFailed) run.clientEvents.stream().filter(e -> e instanceof TransferFailed)
                .findFirst().orElseThrow();
        assertThat(failed.reason()).contains("resumable item must announce its SHA-256");
        assertThat(run.opened).isEmpty();
    }
}
