package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.MacAddressUtil;
import org.junit.jupiter.api.Test;

/** Netty's machine ID is set before Netty starts, so it never walks the network interfaces for a MAC address. */
class NettyDefaultsTest {

    @Test
    void loadingTheProviderSetsAMachineIdNettyAccepts() {
        new EpollDriverProvider(); // its class initialiser applies the defaults

        String id = System.getProperty(NettyDefaults.MACHINE_ID);
        assertThat(id).matches("([0-9a-f]{2}:){7}[0-9a-f]{2}");
        assertThat(MacAddressUtil.parseMAC(id)).hasSize(8);
    }

    @Test
    void aMachineIdTheUserSetIsKept() {
        String before = System.getProperty(NettyDefaults.MACHINE_ID);
        System.setProperty(NettyDefaults.MACHINE_ID, "02:00:00:00:00:01");
        try {
            NettyDefaults.apply();
            assertThat(System.getProperty(NettyDefaults.MACHINE_ID)).isEqualTo("02:00:00:00:00:01");
        } finally {
            if (before == null) {
                System.clearProperty(NettyDefaults.MACHINE_ID);
            } else {
                System.setProperty(NettyDefaults.MACHINE_ID, before);
            }
        }
    }
}
