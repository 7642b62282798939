package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.api.ItemKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-sent events of {@code /api/events}: image events, a stats event each second, the client cap. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardEventsTest {

    @Test
    void anImageEventArrivesWithinTwoSecondsOfASendAndStatsComeEverySecond() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            HttpResponse<Stream<String>> events = live.http.send(HttpRequest.newBuilder(live.uri("/api/events"))
                    .build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(events.statusCode()).isEqualTo(200);
            assertThat(events.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            Thread reader = new Thread(() -> {
                try {
                    events.body().forEach(lines::add);
                } catch (java.io.UncheckedIOException e) {
                    lines.add("closed: " + e.getMessage()); // the dashboard closed at the end of the test
                }
            }, "test-sse-reader");
            reader.setDaemon(true);
            reader.start();
            assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("retry: 2000");
            assertThat(awaitLine(lines, "event: stats", 5_000)).as("a snapshot at once").isNotNull();

            byte[] jpeg = LiveDashboard.picture(64, 48, "jpg", 4);
            long sentNs = System.nanoTime();
            live.client.send(Item.raw(ItemKind.IMAGE, "c.jpg", "image/jpeg", jpeg));
            String data = awaitDataOf(lines, "event: image", 2_000);
            long tookMs = (System.nanoTime() - sentNs) / 1_000_000;
            assertThat(data).as("image event within 2 s of the send (took %d ms)", tookMs)
                    .contains("\"port\":" + live.port()).contains("\"name\":\"c.jpg\"")
                    .contains("\"sizeBytes\":" + jpeg.length).contains("\"width\":64").contains("\"height\":48")
                    .contains("\"format\":\"jpeg\"").contains("\"seq\":1")
                    .contains("\"sender\":\"127.0.0.1:" + live.client.localAddress().getPort() + "\"");

            live.client.send(Item.jsonText("{\"n\": 1}"));
            assertThat(awaitDataOf(lines, "event: json", 2_000)).contains("\"text\":\"{\\\"n\\\": 1}\"")
                    .contains("\"truncated\":false");

            long startNs = System.nanoTime();
            int stats = 0;
            while (System.nanoTime() - startNs < TimeUnit.MILLISECONDS.toNanos(4_000)) {
                String line = lines.poll(100, TimeUnit.MILLISECONDS);
                if ("event: stats".equals(line)) {
                    stats++;
                }
            }
            // One a second: 4 in 4 s, give or take one for where the ticks fall and a busy machine.
            assertThat(stats).as("stats events in 4 s").isBetween(3, 5);
        }
    }

    @Test
    void the33rdLivePageGetsA503WithAReason() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            List<CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
            for (int i = 0; i < SseHub.MAX_CLIENTS; i++) {
                open.add(live.http.sendAsync(HttpRequest.newBuilder(live.uri("/api/events")).build(),
                        HttpResponse.BodyHandlers.ofLines()));
            }
            for (CompletableFuture<HttpResponse<Stream<String>>> f : open) {
                assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (live.dashboard.sseClients() < SseHub.MAX_CLIENTS && System.nanoTime() < deadlineNs) {
                Thread.sleep(10);
            }
            HttpResponse<String> refused = live.getText("/api/events");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("32 live pages");
            assertThat(live.getText("/api/stats").statusCode()).as("short requests still served").isEqualTo(200);
            open.forEach(f -> f.join().body().close());
        }
    }

    private static String awaitLine(BlockingQueue<String> lines, String wanted, long timeoutMs)
            throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            long leftNs = deadlineNs - System.nanoTime();
            String line = lines.poll(Math.max(0, leftNs), TimeUnit.NANOSECONDS);
            if (line == null || line.equals(wanted)) {
                return line;
            }
        }
    }

    private static String awaitDataOf(BlockingQueue<String> lines, String event, long timeoutMs)
            throws InterruptedException {
        assertThat(awaitLine(lines, event, timeoutMs)).as("%s within %d ms", event, timeoutMs).isEqualTo(event);
        String data = lines.poll(1, TimeUnit.SECONDS);
        assertThat(data).startsWith("data: {");
        return data;
    }

}
