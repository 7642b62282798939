package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.metrics.Counters;
import io.udpix.engine.metrics.CountersSnapshot;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.TransferKind;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The NIO driver's figures live in its endpoint's registry, beside the engine's, and nowhere else. */
class DriverMetricsTest {

    @Test
    void countsItsDatagramsInTheEndpointsRegistryInStepWithTheEngine() throws Exception {
        long seed = Seeds.seed();
        byte[] payload = new byte[200_000];
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                (id, peer, info) -> io.udpix.engine.transfer.DiscardSink.INSTANCE);
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(), SinkFactory.refuseAll());
        CompletableFuture<EndpointEvent> outcome = new CompletableFuture<>();
        try (NioDriver serverDriver = NioDriver.start(server, Loopback.anyPort(), DriverOptions.defaults(), e -> { });
                NioDriver clientDriver = NioDriver.start(client, Loopback.anyPort(), DriverOptions.defaults(), e -> {
                    if (e instanceof TransferCompleted || e instanceof TransferFailed) {
                        outcome.complete(e);
                    }
                })) {
            InetSocketAddress to = serverDriver.localAddress();
            clientDriver.execute(ep -> {
                long now = System.nanoTime();
                long conn = client.connect(to, now);
                client.send(conn, new TransferRequest(new TransferInfo(TransferKind.FILE, "a.bin",
                        "application/octet-stream", payload.length, null), (offset, dst) -> {
                            int n = (int) Math.min(dst.remaining(), payload.length - offset);
                            dst.put(payload, (int) offset, n);
                            return n;
                        }), now);
            });
            assertThat(outcome.get(60, TimeUnit.SECONDS)).as("seed=%d", seed).isInstanceOf(TransferCompleted.class);
            // Read on the driver thread, so the engine's and the driver's counts are of the same moment.
            Object[] both = serverDriver.call(ep -> new Object[] {server.counters().snapshot(), serverDriver.stats()})
                    .get(10, TimeUnit.SECONDS);
            CountersSnapshot snap = (CountersSnapshot) both[0];
            CountersSnapshot.Group driver = snap.groups("driver").get(0);
            CountersSnapshot.Group endpoint = snap.groups("endpoint").get(0);
            assertThat(driver.label("driver")).isEqualTo("nio");
            assertThat(driver.value("udpix_driver_datagrams_received_total")).as("seed=%d", seed)
                    .isPositive()
                    .isEqualTo(endpoint.value("udpix_endpoint_datagrams_received_total"));
            assertThat(driver.value("udpix_driver_received_bytes_total"))
                    .isEqualTo(endpoint.value("udpix_endpoint_received_bytes_total"));
            assertThat(driver.value("udpix_driver_datagrams_sent_total"))
                    .isEqualTo(endpoint.value("udpix_endpoint_datagrams_sent_total"));
            // NIO makes one send call per datagram; a call the full socket buffer refused is made again later.
            assertThat(driver.value("udpix_driver_send_calls_total"))
                    .isEqualTo(driver.value("udpix_driver_datagrams_sent_total")
                            + driver.value("udpix_driver_send_blocked_total"));
            assertThat(driver.value("udpix_driver_read_bursts_total")).isPositive()
                    .isLessThanOrEqualTo(driver.value("udpix_driver_datagrams_received_total"));
            assertThat(driver.value("udpix_driver_wakeups_total")).isPositive();
            assertThat(driver.value("udpix_driver_timer_runs_total")).isPositive();
            assertThat(driver.value("udpix_driver_gso_segments_total")).isZero();
            assertThat(snap.groups("driver_send_error")).hasSize(DriverMetrics.SendErrorCause.values().length)
                    .allSatisfy(g -> assertThat(g.value(0)).isZero());
            // DriverStats is a view of the same slots.
            assertThat(DriverMetrics.stats(snap)).isEqualTo(both[1]);
        }
    }

    @Test
    void countsSendErrorsByCause() throws Exception {
        Counters registry = new Counters(1024);
        InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 9);
        int[] sends = {0};
        // The first send is refused as too long, the second for want of a route, the rest go out.
        SendOperation failing = (channel, buffer, target) -> {
            switch (sends[0]++) {
                case 0 -> throw new IOException("Message too long");
                case 1 -> throw new NoRouteToHostException("No route to host");
                default -> {
                    return channel.send(buffer, target);
                }
            }
        };
        SansIoEndpoint sender = new ThreeDatagrams(nowhere, registry);
        try (NioDriver driver = NioDriver.start(sender, Loopback.anyPort(), DriverOptions.defaults(), e -> { },
                failing)) {
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (driver.stats().datagramsSent() + driver.stats().sendErrors() < 4
                    && System.nanoTime() < deadlineNs) {
                Thread.sleep(5);
            }
            CountersSnapshot snap = registry.snapshot();
            assertThat(cause(snap, "too_long")).isEqualTo(1);
            assertThat(cause(snap, "no_route")).isEqualTo(1);
            assertThat(cause(snap, "oversized")).as("a datagram over maxDatagramBytes").isEqualTo(1);
            assertThat(cause(snap, "other")).isZero();
            assertThat(driver.stats().sendErrors()).isEqualTo(3);
            assertThat(driver.stats().datagramsSent()).isEqualTo(1);
        }
    }


    private static long cause(CountersSnapshot snap, String cause) {
        return snap.groups("driver_send_error").stream().filter(g -> cause.equals(g.label("cause")))
                .mapToLong(g -> g.value(0)).sum();
    }

    /** Sends three small datagrams and one over the driver's limit, once; keeps its figures in {@code registry}. */
    private static final class ThreeDatagrams implements SansIoEndpoint {
        private final InetSocketAddress target;
        private final Counters registry;
        private int produced;

        ThreeDatagrams(InetSocketAddress target, Counters registry) {
            this.target = target;
            this.registry = registry;
        }

        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        }

        @Override
        public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
            if (produced == 4) {
                return null;
            }
            dst.clear();
            int length = produced == 2 ? DriverOptions.defaults().maxDatagramBytes() + 1 : 16;
            dst.put(new byte[length]).flip();
            produced++;
            return target;
        }

        @Override
        public long nextDeadlineNs() {
            return produced == 4 ? Long.MAX_VALUE : 0;
        }

        @Override
        public void handleTimeout(long nowNs) {
        }

        @Override
        public EndpointEvent pollEvent() {
            return null;
        }

        @Override
        public Counters counters() {
            return registry;
        }
    }
}
