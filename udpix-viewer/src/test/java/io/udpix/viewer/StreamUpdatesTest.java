package io.udpix.viewer;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamUpdatesTest {

    /** Drain tasks handed to the "event queue", run when the test says so. */
    private final List<Runnable> queued = new ArrayList<>();
    private final List<StreamUpdates.Update> applied = new ArrayList<>();
    private final StreamUpdates updates = new StreamUpdates(queued::add, applied::add);

    @Test
    void keepsOnlyTheNewestFrameOfAStreamUntilTheEventQueueTakesIt() {
        BufferedImage last = null;
        for (int frame = 1; frame <= 1000; frame++) {
            last = image();
            assertThat(updates.offerFrame("s", last, caption(frame))).isTrue();
        }

        assertThat(queued).as("one drain task however many frames").hasSize(1);
        runQueued();
        assertThat(applied).hasSize(1);
        StreamUpdates.Update update = applied.get(0);
        assertThat(update.image()).isSameAs(last);
        assertThat(update.caption().frameNumber()).isEqualTo(1000);
        assertThat(update.framesSkipped()).isEqualTo(999);
        assertThat(updates.framesOffered()).isEqualTo(1000);
        assertThat(updates.framesSkipped()).isEqualTo(999);
        assertThat(updates.pendingStreams()).isZero();
    }

    @Test
    void schedulesOneDrainForManyStreamsAndAnotherOnlyAfterItRan() {
        for (int frame = 1; frame <= 100; frame++) {
            for (int stream = 0; stream < 10; stream++) {
                updates.offerFrame("s" + stream, image(), caption(frame));
            }
        }
        assertThat(queued).hasSize(1);

        runQueued();
        assertThat(applied).extracting(StreamUpdates.Update::key)
                .as("every stream once, in the order they first waited")
                .containsExactly("s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
        assertThat(applied).allSatisfy(update -> assertThat(update.caption().frameNumber()).isEqualTo(100));

        updates.offerFrame("s3", image(), caption(101));
        assertThat(queued).as("a new frame after the drain schedules the next one").hasSize(1);
    }

    @Test
    void keepsTheWaitingFrameWhenItsStreamEndsBeforeTheEventQueueTookIt() {
        BufferedImage lastFrame = image();
        updates.offerFrame("s", lastFrame, caption(41));
        updates.offerEnd("s", caption(42));

        runQueued();
        assertThat(applied).hasSize(1);
        StreamUpdates.Update update = applied.get(0);
        assertThat(update.ended()).isTrue();
        assertThat(update.image()).as("the last frame is kept to be shown dimmed").isSameAs(lastFrame);
        assertThat(update.caption().frameNumber()).as("with the final figures").isEqualTo(42);
        assertThat(update.framesSkipped()).isZero();
    }

    @Test
    void refusesFramesOfFurtherStreamsWhileTooManyWaitButStillTakesTheirEnds() {
        for (int stream = 0; stream < StreamUpdates.MAX_PENDING_STREAMS; stream++) {
            assertThat(updates.offerFrame("s" + stream, image(), caption(1))).isTrue();
        }
        assertThat(updates.offerFrame("one too many", image(), caption(1))).isFalse();
        assertThat(updates.offerFrame("s0", image(), caption(2))).as("a waiting stream's newer frame").isTrue();
        assertThat(updates.framesRefused()).isEqualTo(1);

        int endsRoom = StreamUpdates.MAX_PENDING_ENTRIES - StreamUpdates.MAX_PENDING_STREAMS;
        for (int stream = 0; stream < endsRoom; stream++) {
            assertThat(updates.offerEnd("ended" + stream, caption(9))).isTrue();
        }
        assertThat(updates.offerEnd("s1", caption(9))).as("the end of a waiting stream replaces its entry").isTrue();
        assertThat(updates.offerEnd("no room left", caption(9))).isFalse();
        assertThat(updates.endsRefused()).isEqualTo(1);
        assertThat(updates.pendingStreams()).isEqualTo(StreamUpdates.MAX_PENDING_ENTRIES);

        runQueued();
        assertThat(updates.offerFrame("one too many", image(), caption(3))).as("room again after a drain").isTrue();
    }

    @Test
    void handsOverEachStreamsFramesInOrderAndItsLastFrameFromManyThreadsWithoutQueueing() throws Exception {
        int streams = 4;
        int framesPerStream = 20_000;
        ExecutorService eventQueue = Executors.newSingleThreadExecutor();
        AtomicInteger waitingTasks = new AtomicInteger();
        AtomicInteger mostWaitingTasks = new AtomicInteger();
        Map<String, Long> lastFrameSeen = new HashMap<>();
        List<String> outOfOrder = new ArrayList<>();
        // Only the event-queue thread touches lastFrameSeen and outOfOrder.
        StreamUpdates concurrent = new StreamUpdates(task -> {
            mostWaitingTasks.accumulateAndGet(waitingTasks.incrementAndGet(), Math::max);
            eventQueue.execute(() -> {
                waitingTasks.decrementAndGet();
                task.run();
            });
        }, update -> {
            long previous = lastFrameSeen.getOrDefault(update.key(), 0L);
            if (update.caption().frameNumber() <= previous) {
                outOfOrder.add(update.key() + ": " + update.caption().frameNumber() + " after " + previous);
            }
            lastFrameSeen.put(update.key(), update.caption().frameNumber());
        });
        BufferedImage frameImage = image();
        List<Thread> senders = new ArrayList<>();
        for (int stream = 0; stream < streams; stream++) {
            String key = "s" + stream;
            senders.add(new Thread(() -> {
                for (int frame = 1; frame <= framesPerStream; frame++) {
                    concurrent.offerFrame(key, frameImage, caption(frame));
                }
            }));
        }
        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join();
        }
        eventQueue.shutdown();
        assertThat(eventQueue.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(outOfOrder).isEmpty();
        assertThat(lastFrameSeen).hasSize(streams)
                .allSatisfy((key, frame) -> assertThat(frame).as(key).isEqualTo((long) framesPerStream));
        assertThat(mostWaitingTasks).as("drain tasks waiting on the event queue at once").hasValue(1);
        assertThat(concurrent.framesOffered()).isEqualTo((long) streams * framesPerStream);
        assertThat(concurrent.pendingStreams()).isZero();
    }

    private void runQueued() {
        List<Runnable> tasks = new ArrayList<>(queued);
        queued.clear();
        tasks.forEach(Runnable::run);
    }

    static BufferedImage image() {
        return new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    }

    static StreamCaption caption(long frameNumber) {
        return new StreamCaption("127.0.0.1:40000", "cam", frameNumber, 30.0, 12.0, 40.0, 0, 0, 0, "JPEG", 1000);
    }
}
