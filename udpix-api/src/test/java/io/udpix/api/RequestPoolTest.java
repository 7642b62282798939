package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The handler pool never blocks its caller, bounds its queue and keeps a share for every address. */
class RequestPoolTest {
    @Test
    void refusesAtOnceBeyondAnAddresssShareWhileOthersStillGetIn() throws Exception {
        RequestPool pool = new RequestPool(1); // 64 queued at most, 16 per address
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        InetAddress busy = InetAddress.getByName("127.0.0.2");
        InetAddress other = InetAddress.getByName("127.0.0.3");
        try {
            int taken = 0;
            long startNs = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                if (pool.submit(busy, () -> {
                    await(release);
                    ran.incrementAndGet();
                })) {
                    taken++;
                }
            }
            assertThat(System.nanoTime() - startNs).as("never waits").isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThat(taken).isEqualTo(16);
            assertThat(pool.refused()).isEqualTo(24);
            assertThat(pool.submit(other, ran::incrementAndGet)).isTrue();
            assertThat(pool.busyReason()).contains("busy").contains("try again");

            release.countDown();
            assertThat(pool.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
            assertThat(ran.get()).isEqualTo(17);
            assertThat(pool.submit(busy, ran::incrementAndGet)).as("the share frees as tasks end").isTrue();
        } finally {
            release.countDown();
            pool.shutdown(2_000);
        }
    }

    @Test
    void boundsTheWholeQueueWhateverTheAddresses() throws Exception {
        RequestPool pool = new RequestPool(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            int taken = 0;
            for (int i = 0; i < 200; i++) {
                if (pool.submit(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i}), () -> await(release))) {
                    taken++;
                }
            }
            assertThat(taken).isEqualTo(64);
        } finally {
            release.countDown();
            pool.shutdown(2_000);
        }
    }

    @Test
    void refusesNewTasksOnceShutDown() {
        RequestPool pool = new RequestPool(2);
        pool.shutdown(2_000);

        assertThat(pool.submit(InetAddress.getLoopbackAddress(), () -> { })).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
