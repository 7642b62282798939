package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The fail-fast rule: a fatal error on the driver thread ends the process; ordinary exceptions do not. */
class FatalErrorsTest {
    @Test
    void onlyVirtualMachineErrorsAreFatal() {
        assertThat(FatalErrors.isFatal(new OutOfMemoryError())).isTrue();
        assertThat(FatalErrors.isFatal(new StackOverflowError())).isTrue();
        assertThat(FatalErrors.isFatal(new IllegalStateException())).isFalse();
        assertThat(FatalErrors.isFatal(new AssertionError())).isFalse();
    }
}
