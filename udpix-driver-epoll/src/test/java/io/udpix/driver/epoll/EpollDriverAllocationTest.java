package io.udpix.driver.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.util.ResourceLeakDetector;
import io.udpix.driver.DriverOptions;
import io.udpix.driver.EchoEndpoint;
import io.udpix.driver.LockstepClient;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EpollDriverAllocationTest {

    @ParameterizedTest
    @EnumSource(EpollTuning.ReceiveMode.class)
    void echoingAllocatesOnlyNettysSmallPerDatagramObjectsNeverBuffers(EpollTuning.ReceiveMode mode)
            throws Exception {
        assumeTrue(ResourceLeakDetector.getLevel().ordinal() <= ResourceLeakDetector.Level.SIMPLE.ordinal(),
                "leak detection above SIMPLE records every buffer's use");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] payload = new byte[1_200];
        try (EpollDriver driver = Loopback.start(new EchoEndpoint(), DriverOptions.defaults(),
                EpollTuning.defaults().withReceiveMode(mode));
                LockstepClient client = new LockstepClient(driver.localAddress())) {
            long loopThreadId = driver.loopThread().getId();
            for (int i = 0; i < 5_000; i++) { // warm up: class loading, JIT, the pools' first chunks
                client.roundTrip(payload);
            }
            long beforeBytes = threads.getThreadAllocatedBytes(loopThreadId);
            int measured = 10_000;
            for (int i = 0; i < measured; i++) {
                client.roundTrip(payload);
            }
            long allocatedBytes = threads.getThreadAllocatedBytes(loopThreadId) - beforeBytes;
            // Netty's floor: per received datagram a DatagramPacket and the sender's InetSocketAddress and
            // InetAddress; per sent one a DatagramPacket and our SendPromise (~280 bytes in all). Buffers, slices,
            // NIO views and outbound entries must come from pools and recyclers: the adaptive allocator or a
            // plain (non-FastThreadLocal) loop thread each add ~150-600 bytes and fail this.
            assertThat(allocatedBytes / measured).as("bytes allocated per echoed datagram (total %d), mode %s",
                    allocatedBytes, mode).isLessThan(400);
        }
    }
}
