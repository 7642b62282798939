package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import org.junit.jupiter.api.Test;

class NioDriverBindTest {

    @Test
    void bindingABusyPortNamesThePortAndTheFix() throws Exception {
        try (DatagramChannel squatter = DatagramChannel.open(StandardProtocolFamily.INET)) {
            squatter.bind(Loopback.anyPort());
            int port = ((InetSocketAddress) squatter.getLocalAddress()).getPort();
            InetSocketAddress busy = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);

            assertThatThrownBy(() -> NioDriver.start(new EchoEndpoint(), busy, DriverOptions.defaults(), e -> { }))
                    .isInstanceOf(BindException.class)
                    .hasMessage("port " + port + " on 127.0.0.1 is in use; pick another with --port")
                    .hasCauseInstanceOf(BindException.class);
            assertThat(liveThreadNamed("udpix-nio-" + port)).as("a failed start leaves no thread").isFalse();
        }
    }

    @Test
    void bindingAnAddressThisMachineLacksSaysItIsNotAvailable() throws Exception {
        InetAddress documentationOnly = InetAddress.getByName("192.0.2.1"); // RFC 5737 TEST-NET-1
        assumeTrue(NetworkInterface.getByInetAddress(documentationOnly) == null, "192.0.2.1 is assigned here");

        assertThatThrownBy(() -> NioDriver.start(new EchoEndpoint(), new InetSocketAddress(documentationOnly, 0),
                DriverOptions.defaults(), e -> { }))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot bind 192.0.2.1: address not available");
    }

    @Test
    void bindingANameThatDoesNotResolveSaysSo() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("no-such-host.invalid", 0);

        assertThatThrownBy(() -> NioDriver.start(new EchoEndpoint(), unresolved, DriverOptions.defaults(), e -> { }))
                .isInstanceOf(BindException.class)
                .hasMessageStartingWith("cannot bind no-such-host.invalid: the name does not resolve");
    }

    @Test
    void portZeroBindsAKernelChosenPortAndNamesTheThreadAfterIt() throws Exception {
        try (NioDriver driver = Loopback.start(new EchoEndpoint())) {
            int port = driver.localAddress().getPort();

            assertThat(port).isPositive();
            assertThat(driver.localAddress().getAddress()).isEqualTo(InetAddress.getLoopbackAddress());
            assertThat(driver.loopThread().getName()).isEqualTo("udpix-nio-" + port);
            assertThat(driver.loopThread().isDaemon()).isTrue();
        }
    }

    static boolean liveThreadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
