package io.udpix.driver.epoll;

import io.udpix.driver.FailFastProcess;
import org.junit.jupiter.api.Test;

/** The fail-fast rule holds on the epoll event loop too. */
class EpollFatalErrorsTest {
    @Test
    void anOutOfMemoryErrorOnTheEpollEventLoopEndsTheProcessWithStatus70AndAMessage() throws Exception {
        FailFastProcess.assertHaltsOnOutOfMemory(EpollDriver.KIND);
    }
}
