package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The driver's receive counts agree with the endpoint's whenever a command runs, also for pushed datagrams. */
class DriverLoopCountsTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 9);

    /** A transport that pushes datagrams during its read (as epoll's does) and is stepped by hand. */
    private static final class PushTransport implements Transport {
        private final ByteBuffer sendBuffer = ByteBuffer.allocate(65_536);

        @Override public String kind() { return "push"; }
        @Override public InetSocketAddress localAddress() { return FROM; }
        @Override public Thread start(Agent agent) { throw new UnsupportedOperationException("stepped by hand"); }
        @Override public int receive(ReceiveSink sink, int maxDatagrams) { return 0; }
        @Override public ByteBuffer sendBuffer() { return sendBuffer; }
        @Override public boolean send(InetSocketAddress target) { return true; }
        @Override public void flush() { }
        @Override public void await(long deadlineNs, BooleanSupplier workQueued) { }
        @Override public long pollAheadNs() { return 0; }
        @Override public boolean wakeUp() { return true; }
        @Override public void close() { }
    }

    @Test
    void aCommandSeesDatagramsPushedBeforeTheStepInTheDriversCountsAsTheEndpointDoes() {
        CountingReceiverEndpoint endpoint = new CountingReceiverEndpoint(10, 1_000, Long.MAX_VALUE);
        DriverMetrics metrics = DriverMetrics.register(endpoint, "push");
        DriverLoop loop = new DriverLoop(endpoint, new PushTransport(), DriverOptions.defaults(), e -> { },
                metrics, System.getLogger("DriverLoopCountsTest"));
        for (long sequence = 0; sequence < 3; sequence++) {
            loop.received(FROM, ByteBuffer.allocate(Long.BYTES).putLong(0, sequence));
        }
        long[] seen = {-1, -1};
        loop.submit(ep -> {
            seen[0] = metrics.stats().datagramsReceived();
            seen[1] = endpoint.distinct();
        });
        loop.step();
        assertThat(seen[1]).as("the endpoint's count").isEqualTo(3);
        assertThat(seen[0]).as("the driver's count, read by the same command").isEqualTo(seen[1]);
    }
}
