package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Driver selection with only NIO and an unavailable toy provider (kind {@code toy}) on the class path. The override property
 * is saved and restored around each test (CI may run the suite with -Dudpix.driver=...).
 */
class DriversTest {
    private String savedOverride;

    @BeforeEach
    void clearOverride() {
        savedOverride = System.getProperty(Drivers.PROPERTY);
        System.clearProperty(Drivers.PROPERTY);
    }

    @AfterEach
    void restoreOverride() {
        if (savedOverride == null) {
            System.clearProperty(Drivers.PROPERTY);
        } else {
            System.setProperty(Drivers.PROPERTY, savedOverride);
        }
    }

    @Test
    void autoFallsBackToNioWhenNoNativeDriverCanRun() throws Exception {
        assertThat(Drivers.resolve("auto")).isEqualTo("nio");
        assertThat(Drivers.resolve("")).isEqualTo("nio");
        try (Driver<?> driver = Drivers.start("auto", new EchoEndpoint(), Loopback.anyPort(), DriverOptions.defaults(),
                e -> { });
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            assertThat(driver).isInstanceOf(NioDriver.class);
            assertThat(driver.kind()).isEqualTo("nio");
            assertThat(client.roundTrip(new byte[] {1, 2})).containsExactly(1, 2);
        }
    }

    @Test
    void aForcedDriverThatCannotRunNamesTheCauseAndTheWayOut() {
        assertThatThrownBy(() -> Drivers.start("toy", new EchoEndpoint(), Loopback.anyPort(),
                DriverOptions.defaults(), e -> { }))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("--driver toy is not available on this platform: toy: needs Linux 5.9 or later; "
                        + "use --driver nio");
    }

    @Test
    void onlyTheDriversWhoseProvidersArePresentAreOffered() {
        // No epoll module on this module's test class path, and no io_uring driver exists at all.
        assertThat(Drivers.kinds()).containsExactly("auto", "nio", "toy");
    }

    @Test
    void aShippedDriverWithoutItsModuleSaysWhichModuleToAdd() {
        assertThatThrownBy(() -> Drivers.resolve("epoll"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("driver 'epoll' is not on the class path (add the udpix-driver-epoll module); "
                        + "use one of auto, nio, toy");
    }

    @Test
    void aDriverThatWasNeverBuiltIsUnknownAndTheOfferedOnesAreListed() {
        assertThatThrownBy(() -> Drivers.resolve("io_uring"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown driver 'io_uring'; use one of auto, nio, toy");
        assertThatThrownBy(() -> Drivers.resolve("dpdk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown driver 'dpdk'; use one of auto, nio, toy");
    }

    @Test
    void namesAreCaseAndDashInsensitive() {
        assertThat(Drivers.resolve(" NIO ")).isEqualTo("nio");
        assertThatThrownBy(() -> Drivers.resolve(" TOY ")).hasMessageStartingWith("--driver toy");
        assertThatThrownBy(() -> Drivers.resolve("IO-URING")).hasMessageStartingWith("unknown driver 'io_uring'");
    }

    @Test
    void theSystemPropertyReplacesAutoButNeverAnExplicitName() {
        System.setProperty(Drivers.PROPERTY, "nio");
        assertThat(Drivers.resolve("auto")).isEqualTo("nio");

        System.setProperty(Drivers.PROPERTY, "toy");
        assertThatThrownBy(() -> Drivers.resolve("auto")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageStartingWith("--driver toy is not available");
        assertThat(Drivers.resolve("nio")).isEqualTo("nio");

        System.setProperty(Drivers.PROPERTY, "bogus");
        assertThatThrownBy(() -> Drivers.resolve("auto")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown driver 'bogus' (from -Dudpix.driver); use one of auto, nio, toy");
    }
}
