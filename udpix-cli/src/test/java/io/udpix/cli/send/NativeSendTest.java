package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import io.udpix.api.SendResult;
import io.udpix.cli.report.ItemReport;
import io.udpix.cli.report.ItemReporter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The native send loop's window of items in flight, against a connection that confirms only when told. */
class NativeSendTest {

    /** Items held open before the fake connection starts confirming: a window of 8 (the old one) stays below. */
    private static final int OPEN_BEFORE_CONFIRMING = 32;

    @Test
    @Timeout(30)
    void keepsManySmallItemsInFlightAtOnceAndStillReportsThemInOrder() throws Exception {
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            items.add(Item.raw(ItemKind.IMAGE, "img-" + i + ".jpg", "image/jpeg", new byte[] {(byte) i}));
        }
        ArrayDeque<CompletableFuture<SendResult>> open = new ArrayDeque<>();
        Object lock = new Object();
        int[] peakOpen = {0};
        int[] handedOver = {0};
        NativeSend.ItemSender connection = (item, listener) -> {
            CompletableFuture<SendResult> future = new CompletableFuture<>();
            synchronized (lock) {
                open.add(future);
                handedOver[0]++;
                peakOpen[0] = Math.max(peakOpen[0], open.size());
                lock.notifyAll();
            }
            return future.thenApply(r -> new SendResult(item.name(), item.kind(), item.sizeBytes(), r.sha256Hex(),
                    Duration.ofMillis(1), 1));
        };
        Thread confirmer = new Thread(() -> {
            try {
                boolean holding = true;
                for (int confirmed = 0; confirmed < items.size(); confirmed++) {
                    CompletableFuture<SendResult> oldest;
                    synchronized (lock) {
                        // Holds confirmations until enough are open (or every item was handed over); a sender that
                        // stops short of that gets its oldest confirmed after 2 s, and the peak below fails.
                        long deadlineNs = System.nanoTime() + 2_000_000_000L;
                        while (holding && open.size() < OPEN_BEFORE_CONFIRMING && handedOver[0] < items.size()) {
                            if (System.nanoTime() >= deadlineNs) {
                                holding = false; // stalled: confirm the rest at once
                            }
                            lock.wait(10);
                        }
                        while (open.isEmpty()) {
                            lock.wait(10);
                        }
                        oldest = open.poll();
                    }
                    oldest.complete(new SendResult("", ItemKind.IMAGE, 1, "00".repeat(32), Duration.ZERO, 0));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "confirmer");
        confirmer.setDaemon(true);
        confirmer.start();
        List<String> reported = Collections.synchronizedList(new ArrayList<>());
        ItemReporter reporter = new ItemReporter() {
            @Override
            public void finished(ItemReport report) {
                reported.add(report.name());
            }

            @Override
            public void status(String message) {
            }
        };

        NativeSend send = new NativeSend(connection, reporter, "127.0.0.1:9", () -> { });
        boolean allConfirmed = send.round(items);
        confirmer.join(5_000);

        assertThat(allConfirmed).isTrue();
        assertThat(send.tally.confirmed()).isEqualTo(items.size());
        assertThat(peakOpen[0]).as("items open at once").isGreaterThanOrEqualTo(OPEN_BEFORE_CONFIRMING)
                .isLessThanOrEqualTo(NativeSend.MAX_IN_FLIGHT);
        assertThat(reported).containsExactlyElementsOf(items.stream().map(Item::name).toList());
    }

    @Test
    void retriesAnItemRefusedWithTryLaterAndReportsItSentOnlyWhenConfirmed() throws Exception {
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        NativeSend.ItemSender busyTwice = (item, listener) -> {
            if (attempts.incrementAndGet() <= 2) {
                return CompletableFuture.failedFuture(new io.udpix.api.UdpixException(
                        io.udpix.api.UdpixException.Kind.REFUSED, io.udpix.wire.ErrorCode.SERVER_BUSY,
                        "the receiver's Kafka buffer is full; try again later", null));
            }
            return CompletableFuture.completedFuture(new SendResult(item.name(), ItemKind.BYTES, 1, "00".repeat(32),
                    Duration.ZERO, 0));
        };
        List<String> reported = Collections.synchronizedList(new ArrayList<>());
        ItemReporter reporter = new ItemReporter() {
            @Override
            public void finished(ItemReport report) {
                reported.add(report.name() + (report.outcome() == ItemReport.Outcome.SENT ? " sent" : " failed"));
            }

            @Override
            public void status(String message) {
            }
        };
        Item item = Item.bytes(new byte[10], "busy.bin");

        NativeSend once = new NativeSend(busyTwice, reporter, "127.0.0.1:9", () -> { }).retries(1);
        boolean firstConfirmed = once.round(List.of(item));
        attempts.set(0);
        NativeSend twice = new NativeSend(busyTwice, reporter, "127.0.0.1:9", () -> { }).retries(2);
        boolean secondConfirmed = twice.round(List.of(item));

        assertThat(firstConfirmed).as("one retry is not enough for two refusals").isFalse();
        assertThat(secondConfirmed).isTrue();
        assertThat(attempts.get()).isEqualTo(3);
        assertThat(reported).containsExactly("busy.bin failed", "busy.bin sent");
    }
}
