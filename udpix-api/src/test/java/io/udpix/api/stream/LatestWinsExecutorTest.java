package io.udpix.api.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LatestWinsExecutorTest {

    @Test
    void newerFramesReplaceTheOneWaitingBehindASlowListenerAndEachDropIsCounted() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 8)) {
            executor.submit("a", () -> {
                busy.countDown();
                await(release);
                ran.add("a0");
            });
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i <= 10; i++) {
                int n = i;
                assertThat(executor.submit("a", () -> ran.add("a" + n))).isTrue();
            }
            release.countDown();
            awaitSize(ran, 2);
            assertThat(ran).containsExactly("a0", "a10");
            assertThat(executor.dropped()).isEqualTo(9);
            assertThat(executor.dropped("a")).isEqualTo(9);
            assertThat(executor.dropped("b")).isZero();
        }
    }

    @Test
    void withRoomForThreeABurstOfThreeRunsWholeAndAFourthPushesOutTheOldest() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 8, 3)) {
            executor.submit("blocker", () -> await(release));
            for (int i = 1; i <= 3; i++) {
                int n = i;
                executor.submit("a", () -> ran.add("a" + n));
            }
            assertThat(executor.dropped("a")).isZero();
            executor.submit("a", () -> ran.add("a4"));
            release.countDown();
            awaitSize(ran, 3);
            assertThat(ran).containsExactly("a2", "a3", "a4");
            assertThat(executor.dropped("a")).isEqualTo(1);
        }
    }

    @Test
    void aStreamsEndRunsAfterItsLastFrameAndIsNeverReplaced() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 8)) {
            executor.submit("blocker", () -> await(release));
            executor.submit("a", () -> ran.add("frame1"));
            executor.submit("a", () -> ran.add("frame2"));
            executor.submitEssential("a", () -> ran.add("end"));
            // A frame after the end cannot be shown before it: dropped and counted, the end stays.
            assertThat(executor.submit("a", () -> ran.add("frame3"))).isFalse();
            release.countDown();
            awaitSize(ran, 2);
            assertThat(ran).containsExactly("frame2", "end");
            assertThat(executor.dropped("a")).isEqualTo(2);
        }
    }

    @Test
    void streamsAreServedInTheOrderTheyBecameReady() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 8)) {
            executor.submit("blocker", () -> await(release));
            executor.submit("c", () -> ran.add("c"));
            executor.submit("a", () -> ran.add("a"));
            executor.submit("b", () -> ran.add("b"));
            executor.submit("a", () -> ran.add("a2")); // Replaces a, keeps a's place.
            release.countDown();
            awaitSize(ran, 3);
            assertThat(ran).containsExactly("c", "a2", "b");
        }
    }

    @Test
    void beyondItsStreamLimitATaskIsDroppedAndCountedInsteadOfQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 2)) {
            CountDownLatch busy = new CountDownLatch(1);
            executor.submit("blocker", () -> {
                busy.countDown();
                await(release);
            });
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(executor.submit("a", () -> { })).isTrue();
            assertThat(executor.submit("b", () -> { })).isTrue();
            assertThat(executor.submit("c", () -> { })).isFalse();
            assertThat(executor.droppedOverLimit()).isEqualTo(1);
            release.countDown();
        }
    }

    @Test
    void aFailingTaskDoesNotStopTheOnesAfterIt() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 8)) {
            executor.submit("a", () -> {
                throw new IllegalStateException("listener bug");
            });
            executor.submit("b", () -> ran.add("b"));
            awaitSize(ran, 1);
            assertThat(ran).containsExactly("b");
        }
    }

    @Test
    void closeRunsWhatWaitsThenRefusesNewTasks() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        LatestWinsExecutor executor = new LatestWinsExecutor("test-frames", 8);
        executor.submit("a", () -> ran.add("a"));
        executor.close();
        assertThat(ran).containsExactly("a");
        assertThat(executor.submit("a", () -> ran.add("late"))).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitSize(List<String> list, int size) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size && System.nanoTime() < deadlineNs) {
            Thread.sleep(2);
        }
        Thread.sleep(20); // Anything that should not have run would have by now.
    }
}
