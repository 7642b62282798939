package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.udpix.driver.DriverOptions;
import io.udpix.driver.EchoEndpoint;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EpollDriverBindTest {

    @BeforeEach
    void skipWithoutEpoll() {
        Loopback.assumeEpoll();
    }

    @Test
    void bindingABusyPortNamesThePortAndTheFixAndLeavesNoThread() throws Exception {
        try (DatagramChannel squatter = DatagramChannel.open(StandardProtocolFamily.INET)) {
            squatter.bind(Loopback.anyPort());
            int port = ((InetSocketAddress) squatter.getLocalAddress()).getPort();
            InetSocketAddress busy = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            long threadsBefore = liveEpollThreads();

            assertThatThrownBy(() -> EpollDriver.start(new EchoEndpoint(), busy, DriverOptions.defaults(), e -> { }))
                    .isInstanceOf(BindException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is in use; pick another with --port")
                    .hasCauseInstanceOf(java.io.IOException.class);
            assertThat(liveEpollThreads()).as("a failed start leaves no thread").isEqualTo(threadsBefore);
        }
    }

    @Test
    void bindingAnAddressThisMachineLacksSaysItIsNotAvailable() throws Exception {
        InetAddress documentationOnly = InetAddress.getByName("192.0.2.1"); // RFC 5737 TEST-NET-1
        assumeTrue(NetworkInterface.getByInetAddress(documentationOnly) == null, "192.0.2.1 is assigned here");

        assertThatThrownBy(() -> EpollDriver.start(new EchoEndpoint(), new InetSocketAddress(documentationOnly, 0),
                DriverOptions.defaults(), e -> { }))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot bind 192.0.2.1: address not available");
    }

    @Test
    void bindingANameThatDoesNotResolveSaysSo() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", 0);

        assertThatThrownBy(() -> EpollDriver.start(new EchoEndpoint(), unresolved, DriverOptions.defaults(),
                e -> { }))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot bind no-such-host.invalid: the name does not resolve");
    }

    @Test
    void portZeroBindsAKernelChosenPortAndNamesTheDaemonThreadAfterIt() throws Exception {
        try (EpollDriver driver = Loopback.start(new EchoEndpoint())) {
            int port = driver.localAddress().getPort();

            assertThat(port).isPositive();
            assertThat(driver.localAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(driver.loopThread().getName()).isEqualTo("udpix-epoll-" + port);
            assertThat(driver.loopThread().isDaemon()).isTrue();
            assertThat(driver.kind()).isEqualTo("epoll");
        }
    }

    @Test
    void anIpv6LoopbackDriverEchoes() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        assumeTrue(NetworkInterface.getByInetAddress(ipv6Loopback) != null, "no ::1 here");
        try (EpollDriver driver = EpollDriver.start(new EchoEndpoint(), new InetSocketAddress(ipv6Loopback, 0),
                DriverOptions.defaults(), e -> { });
                java.net.DatagramSocket client = new java.net.DatagramSocket(new InetSocketAddress(ipv6Loopback, 0))) {
            client.setSoTimeout(10_000);
            byte[] payload = {7, 8, 9};
            client.send(new java.net.DatagramPacket(payload, payload.length, driver.localAddress()));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[16], 16);
            client.receive(reply);

            assertThat(java.util.Arrays.copyOf(reply.getData(), reply.getLength())).containsExactly(7, 8, 9);
        }
    }

    private static long liveEpollThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("udpix-epoll-") && t.isAlive()).count();
    }
}
