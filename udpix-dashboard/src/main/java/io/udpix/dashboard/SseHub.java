package io.udpix.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Server-sent events ({@code /api/events}, WHATWG HTML section 9.2): at most {@link #MAX_CLIENTS} clients, one
 * ticker thread that takes ONE snapshot a second and hands the same bytes to every client, and image/JSON events
 * from the feed. Each client is written by its own HTTP thread from a bounded mailbox, so a slow client skips
 * figures and never holds up the ticker or the server's callbacks.
 */
final class SseHub implements DashboardFeed.Listener, AutoCloseable {
    /** Clients at once (OBS.md); the next one gets 503. */
    static final int MAX_CLIENTS = 32;
    static final long TICK_MS = 1_000;
    /** A comment line this often keeps proxies from closing a quiet stream. */
    static final long PING_NS = TimeUnit.SECONDS.toNanos(15);
    /** What the browser waits before reconnecting (the {@code retry} field). */
    static final int RETRY_MS = 2_000;

    private final Supplier<byte[]> snapshots;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker;
    private volatile boolean closed;

    SseHub(Supplier<byte[]> snapshots) {
        this.snapshots = snapshots;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "udpix-dashboard-sse");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** Serves one client on this (HTTP) thread until it goes or the hub closes. */
    void serve(HttpExchange exchange) throws IOException {
        SseClient client = new SseClient();
        synchronized (clients) {
            if (closed || clients.size() >= MAX_CLIENTS) {
                Responses.text(exchange, 503, "this dashboard already serves " + MAX_CLIENTS + " live pages (the "
                        + "most at once); close one, or poll /api/stats instead");
                return;
            }
            clients.add(client);
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(("retry: " + RETRY_MS + "\n\n").getBytes(StandardCharsets.US_ASCII));
            out.write(event("stats", snapshots.get()));
            out.flush();
            client.run(out, PING_NS);
        } catch (IOException e) {
            // The page went away: the normal end of an event stream.
        } finally {
            clients.remove(client);
            exchange.close();
        }
    }

    /** Live clients now. */
    int clients() {
        return clients.size();
    }

    private void tick() {
        try {
            if (clients.isEmpty()) {
                return; // no snapshot when nobody looks: the dashboard costs nothing idle
            }
            byte[] stats = event("stats", snapshots.get());
            for (SseClient client : clients) {
                client.stats(stats);
            }
        } catch (RuntimeException e) {
            // A failed snapshot must not end the ticker (a scheduled task that throws never runs again).
            System.getLogger(SseHub.class.getName()).log(System.Logger.Level.WARNING, "dashboard snapshot failed", e);
        }
    }

    @Override
    public void image(LatestImage image) {
        publish("image", SnapshotJson.imageEvent(image));
    }

    @Override
    public void json(JsonMessage message) {
        publish("json", SnapshotJson.jsonMessage(message));
    }

    private void publish(String name, JsonNode data) {
        if (clients.isEmpty()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = event(name, SnapshotJson.JSON.writeValueAsBytes(data));
        } catch (JsonProcessingException e) {
            return; // a tree of strings and numbers always serialises
        }
        for (SseClient client : clients) {
            client.event(bytes);
        }
    }

    /** {@code event: NAME\ndata: JSON\n\n}; the JSON is on one line (Jackson's compact form escapes newlines). */
    static byte[] event(String name, byte[] json) {
        byte[] head = ("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(json, 0, all, head.length, json.length);
        all[all.length - 2] = '\n';
        all[all.length - 1] = '\n';
        return all;
    }

    /** Ends every client and the ticker. */
    @Override
    public void close() {
        synchronized (clients) {
            closed = true;
        }
        ticker.shutdownNow();
        clients.forEach(SseClient::end);
    }
}
