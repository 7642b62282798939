package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.driver.DriverOptions;
import io.udpix.driver.DriverStats;
import io.udpix.driver.EchoEndpoint;
import io.udpix.driver.LockstepClient;
import io.udpix.driver.Seeds;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EpollDriverEchoTest {

    @ParameterizedTest
    @EnumSource(EpollTuning.ReceiveMode.class)
    void echoesAThousandDatagramsOfEverySizeFromEmptyToTheUdpMaximum(EpollTuning.ReceiveMode mode)
            throws Exception {
        long seed = Seeds.seed();
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> sizes = new ArrayList<>(List.of(0, 1, 2, 65_506, 65_507, 1_200, 1_472, 8_192, 0));
        while (sizes.size() < 1_000) {
            sizes.add(random.nextInt(65_508));
        }
        Collections.shuffle(sizes, new java.util.Random(seed));
        long totalBytes = sizes.stream().mapToLong(Integer::longValue).sum();

        try (EpollDriver driver = Loopback.start(new EchoEndpoint(), DriverOptions.defaults(),
                EpollTuning.defaults().withReceiveMode(mode));
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            for (int i = 0; i < sizes.size(); i++) {
                byte[] payload = new byte[sizes.get(i)];
                random.nextBytes(payload);
                assertThat(client.roundTrip(payload))
                        .as("datagram %d of %d bytes, mode %s, seed=%d", i, payload.length, mode, seed)
                        .isEqualTo(payload);
            }
            DriverStats stats = Loopback.settledStats(driver);
            assertThat(stats.datagramsReceived()).as("seed=%d", seed).isEqualTo(1_000);
            assertThat(stats.bytesReceived()).as("seed=%d", seed).isEqualTo(totalBytes);
            assertThat(stats.datagramsSent()).as("seed=%d", seed).isEqualTo(1_000);
            assertThat(stats.bytesSent()).as("seed=%d", seed).isEqualTo(totalBytes);
            assertThat(stats.receiveTruncations() + stats.sendErrors() + stats.endpointErrors())
                    .as("seed=%d", seed).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(EpollTuning.ReceiveMode.class)
    void dropsAndCountsADatagramLargerThanMaxDatagramBytesInsteadOfPassingItCut(EpollTuning.ReceiveMode mode)
            throws Exception {
        EchoEndpoint echo = new EchoEndpoint();
        try (EpollDriver driver = Loopback.start(echo, DriverOptions.defaults().withMaxDatagramBytes(1_000),
                EpollTuning.defaults().withReceiveMode(mode));
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            byte[] tooLarge = new byte[1_001];
            byte[] muchTooLarge = new byte[30_000];
            byte[] largest = new byte[1_000];
            largest[999] = 42;

            client.send(tooLarge);
            client.send(muchTooLarge);
            assertThat(client.roundTrip(largest)).isEqualTo(largest);

            DriverStats stats = Loopback.settledStats(driver);
            assertThat(stats.receiveTruncations()).isEqualTo(2);
            assertThat(stats.datagramsReceived()).isEqualTo(1);
            assertThat(driver.call(endpoint -> echo.received()).get()).isEqualTo(1);
        }
    }

    @Test
    void keepsEchoingWhenTheEndpointThrows() throws Exception {
        EchoEndpoint faulty = new EchoEndpoint() {
            @Override
            public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
                if (datagram.remaining() > 0 && datagram.get(datagram.position()) == 13) {
                    throw new IllegalStateException("toy failure on datagram 13");
                }
                super.handleDatagram(from, datagram, nowNs);
            }
        };
        try (EpollDriver driver = Loopback.start(faulty);
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            for (byte b = 10; b < 20; b++) {
                if (b == 13) {
                    client.send(new byte[] {b});
                } else {
                    assertThat(client.roundTrip(new byte[] {b})).containsExactly(b);
                }
            }
            DriverStats stats = Loopback.settledStats(driver);
            assertThat(stats.endpointErrors()).isEqualTo(1);
            assertThat(stats.datagramsSent()).isEqualTo(9);
        }
    }
}
