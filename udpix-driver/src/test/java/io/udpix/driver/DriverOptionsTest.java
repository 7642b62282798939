package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriverOptionsTest {

    @Test
    void defaultsAskForFourMebibyteBuffersAndTheUdpMaximum() {
        DriverOptions options = DriverOptions.defaults();
        assertThat(options.receiveBufferBytes()).isEqualTo(4 << 20);
        assertThat(options.sendBufferBytes()).isEqualTo(4 << 20);
        assertThat(options.maxDatagramBytes()).isEqualTo(65_507);
        assertThat(options.maxDatagramsPerWakeup()).isEqualTo(256);
        assertThat(options.commandQueueCapacity()).isEqualTo(4096);
    }

    @Test
    void aSettingOutOfRangeIsRejectedWithItsNameAndRange() {
        assertThatThrownBy(() -> DriverOptions.defaults().withMaxDatagramBytes(65_508))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDatagramBytes must be between 1 and 65507, got 65508");
        assertThatThrownBy(() -> DriverOptions.defaults().withMaxDatagramsPerWakeup(0))
                .hasMessageStartingWith("maxDatagramsPerWakeup must be between 1 and");
        assertThatThrownBy(() -> DriverOptions.defaults().withCommandQueueCapacity(-1))
                .hasMessageStartingWith("commandQueueCapacity must be between 1 and");
        assertThatThrownBy(() -> DriverOptions.defaults().withReceiveBufferBytes(10))
                .hasMessageStartingWith("receiveBufferBytes must be between 1024 and");
    }

    @Test
    void withersChangeOnlyTheirOwnSetting() {
        DriverOptions options = DriverOptions.defaults().withSendBufferBytes(8192).withSpinThresholdNs(0);
        assertThat(options).isEqualTo(new DriverOptions(4 << 20, 8192, 65_507, 256, 4096, 0));
    }

    @Test
    void keepsSoReusePortOffUnlessAskedAndCarriesItThroughCopies() {
        DriverOptions options = DriverOptions.defaults();

        assertThat(options.reusePort()).isFalse();
        assertThat(options.withReusePort(true).withSendBufferBytes(8192).reusePort()).isTrue();
        assertThat(options.withReusePort(true).withReusePort(false)).isEqualTo(options);
    }
}
