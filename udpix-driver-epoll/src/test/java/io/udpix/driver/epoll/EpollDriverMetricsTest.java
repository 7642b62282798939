package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.DriverMetrics;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverStats;
import io.udpix.driver.Seeds;
import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.metrics.CountersSnapshot;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The epoll driver's figures live in its endpoint's registry under the NIO driver's names, beside the engine's. */
class EpollDriverMetricsTest {

    @Test
    void countsItsDatagramsInTheEndpointsRegistryUnderTheSharedNames() throws Exception {
        long seed = Seeds.seed();
        byte[] payload = new byte[200_000];
        Endpoint server = new Endpoint(EndpointConfig.builder().acceptConnections(true).seed(seed).build(),
                (id, peer, info) -> io.udpix.engine.transfer.DiscardSink.INSTANCE);
        Endpoint client = new Endpoint(EndpointConfig.builder().seed(seed + 1).build(), SinkFactory.refuseAll());
        CompletableFuture<EndpointEvent> outcome = new CompletableFuture<>();
        Loopback.assumeEpoll();
        try (EpollDriver serverDriver = EpollDriver.start(server, Loopback.anyPort(), DriverOptions.defaults(),
                        e -> { }, EpollTuning.defaults());
                EpollDriver clientDriver = EpollDriver.start(client, Loopback.anyPort(), DriverOptions.defaults(), e -> {
                    if (e instanceof TransferCompleted || e instanceof TransferFailed) {
                        outcome.complete(e);
                    }
                }, EpollTuning.defaults())) {
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
            assertThat(driver.label("driver")).isEqualTo("epoll");
            assertThat(driver.value("udpix_driver_datagrams_received_total")).as("seed=%d", seed)
                    .isPositive()
                    .isEqualTo(endpoint.value("udpix_endpoint_datagrams_received_total"));
            assertThat(driver.value("udpix_driver_received_bytes_total"))
                    .isEqualTo(endpoint.value("udpix_endpoint_received_bytes_total"));
            assertThat(driver.value("udpix_driver_datagrams_sent_total"))
                    .isEqualTo(endpoint.value("udpix_endpoint_datagrams_sent_total"));
            assertThat(driver.value("udpix_driver_send_calls_total")).isPositive()
                    .isLessThanOrEqualTo(driver.value("udpix_driver_datagrams_sent_total"));
            assertThat(driver.value("udpix_driver_read_bursts_total")).isPositive()
                    .isLessThanOrEqualTo(driver.value("udpix_driver_datagrams_received_total"));
            assertThat(driver.value("udpix_driver_wakeups_total")).isPositive();
            assertThat(driver.value("udpix_driver_timer_runs_total")).isPositive();
            assertThat(driver.value("udpix_driver_gso_active"))
                    .isEqualTo(serverDriver.epollStats().gsoActive() ? 1 : 0);
            assertThat(driver.schema()).as("one schema for both drivers").isSameAs(DriverMetrics.SCHEMA);
            assertThat(snap.groups("driver_send_error")).hasSize(DriverMetrics.SendErrorCause.values().length)
                    .allSatisfy(g -> assertThat(g.value(0)).isZero());
            // DriverStats is a view of the same slots.
            assertThat(DriverMetrics.stats(snap)).isEqualTo(both[1]);
        }
    }

}
