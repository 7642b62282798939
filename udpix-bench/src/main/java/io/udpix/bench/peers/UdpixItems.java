package io.udpix.bench.peers;

import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * udpix through its Java API: one {@link UdpixServer}, one {@link UdpixClient} per client, items in memory.
 * Diagnostic knob: {@code -Dudpix.bench.maxAckDelayMs=N} sets the engine's maximum ACK delay on both sides (to see
 * how much of an item's latency is delayed acknowledgements).
 */
final class UdpixItems implements ItemTool {
    private static final String MAX_ACK_DELAY_MS = System.getProperty("udpix.bench.maxAckDelayMs");
    /** Driver threads of the server's port ({@code UdpixServer.Builder.threadsPerPort}); default 1. */
    private static final int THREADS_PER_PORT = Integer.getInteger("udpix.bench.threadsPerPort", 1);
    private final String driver;
    private UdpixServer server;

    /** {@code driver}: null for the API's default, else "nio", "epoll" or "auto". */
    UdpixItems(String driver) {
        this.driver = driver;
    }

    @Override
    public void startReceiver(String host, int port, ReceiptSink receipts) throws Exception {
        UdpixServer.Builder b = UdpixServer.builder().bind(InetAddress.getByName(host)).port(port)
                .maxConnections(64).memoryThresholdBytes(64L << 20).threadsPerPort(THREADS_PER_PORT)
                .onImage(item -> {
                    int[] ids = ItemTool.parse(item.name());
                    if (ids != null) {
                        receipts.verified(ids[0], ids[1]);
                    }
                });
        if (driver != null) {
            b.driver(driver);
        }
        if (MAX_ACK_DELAY_MS != null) {
            b.endpointConfig(c -> c.maxAckDelayNs(Long.parseLong(MAX_ACK_DELAY_MS) * 1_000_000L));
        }
        server = b.start();
    }

    @Override
    public Sender connect(String host, int port, int client, ReceiptSink receipts) throws Exception {
        UdpixClient.Builder b = UdpixClient.builder(new InetSocketAddress(host, port));
        if (driver != null) {
            b.driver(driver);
        }
        if (MAX_ACK_DELAY_MS != null) {
            b.endpointConfig(c -> c.maxAckDelayNs(Long.parseLong(MAX_ACK_DELAY_MS) * 1_000_000L));
        }
        UdpixClient c = b.connect();
        return new Sender() {
            @Override
            public void send(int item, byte[] bytes) {
                c.sendAsync(Item.raw(ItemKind.IMAGE, ItemTool.name(client, item), "image/jpeg", bytes))
                        .whenComplete((result, error) -> {
                            if (error != null) {
                                receipts.failed(client, item, String.valueOf(error));
                            }
                        });
            }

            @Override
            public void close() {
                c.close();
            }
        };
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
