package io.udpix.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.udpix.api.ReceivedItem;
import io.udpix.api.ServerEvent;
import io.udpix.api.ServerStats;
import io.udpix.api.UdpixServer;
import io.udpix.api.stream.Frame;
import io.udpix.api.stream.StreamEnd;
import io.udpix.prometheus.PrometheusMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard on the JDK's {@link HttpServer}: routing, the token, GET only. A bounded pool runs requests:
 * {@link #SHORT_REQUEST_THREADS} for short ones plus one per SSE and MJPEG client up to their caps, with a small
 * bounded queue (beyond it the JDK closes the connection). Endpoints: docs/DASHBOARD.md.
 */
final class HttpDashboard implements Dashboard {
    /** Threads for requests that end at once (snapshots, images, files), beside the long-lived streams. */
    static final int SHORT_REQUEST_THREADS = 8;
    static final int MAX_THREADS = SHORT_REQUEST_THREADS + SseHub.MAX_CLIENTS + MjpegStream.MAX_CLIENTS;
    /** Requests waiting for a thread at most. */
    static final int MAX_QUEUED_REQUESTS = 64;
    private static final Pattern LATEST = Pattern.compile("/api/latest/(\\d{1,5})\\.jpg");
    private static final Pattern STREAM = Pattern.compile("/api/stream/([^/]{1,300})\\.(mjpg|jpg)");

    private final HttpServer http;
    private final ThreadPoolExecutor pool;
    private final TokenCheck token;
    private final String url;
    private final DashboardFeed feed;
    private final SnapshotJson snapshots;
    private final SseHub hub;
    private final MjpegStream mjpeg;
    private final JpegImages jpegs = new JpegImages();
    private final StaticFiles files = new StaticFiles();
    private final Supplier<String> metrics;
    /** What {@link #close} also closes: the Prometheus exporter, when it holds resources; else null. */
    private volatile AutoCloseable closeAlso;
    private volatile boolean closed;

    private HttpDashboard(HttpServer http, ThreadPoolExecutor pool, String token, Supplier<ServerStats> stats,
            String fingerprint, Supplier<String> metrics) {
        this.http = http;
        this.pool = pool;
        this.token = TokenCheck.of(token);
        this.metrics = metrics;
        InetSocketAddress bound = http.getAddress();
        this.url = "http://" + Text.address(bound) + "/"
                + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        this.feed = new DashboardFeed(Clock.systemUTC());
        this.snapshots = new SnapshotJson(stats, feed, fingerprint, Clock.systemUTC());
        this.hub = new SseHub(snapshots::take);
        feed.listen(hub);
        this.mjpeg = new MjpegStream(feed.frames());
    }

    /** Binds {@code address} and serves {@code server}'s figures. */
    static HttpDashboard start(InetSocketAddress address, String token, UdpixServer server) throws IOException {
        PrometheusMetrics prometheus = PrometheusMetrics.forServer(server);
        HttpDashboard dashboard = start(address, token, server::stats, server.fingerprint(), prometheus::scrape);
        // Through Object: the exporter may or may not be AutoCloseable (it gains close() in s12-prom).
        if ((Object) prometheus instanceof AutoCloseable closeable) {
            dashboard.closeAlso = closeable;
        }
        return dashboard;
    }

    /** Binds {@code address}; figures from {@code stats}, {@code /metrics} from {@code metrics}. */
    static HttpDashboard start(InetSocketAddress address, String token, Supplier<ServerStats> stats,
            String fingerprint, Supplier<String> metrics) throws IOException {
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("the dashboard's token is empty; give a token, or none on loopback");
        }
        if (token == null && (address.getAddress() == null || !address.getAddress().isLoopbackAddress())) {
            throw new IllegalArgumentException("the dashboard on " + Text.address(address) + " would be open "
                    + "beyond this machine without a token; give one, or bind 127.0.0.1");
        }
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(MAX_QUEUED_REQUESTS), r -> {
                    Thread t = new Thread(r, "udpix-dashboard-http-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // idle, the dashboard keeps no threads but the JDK's dispatcher
        HttpServer http = HttpServer.create(address, 64);
        HttpDashboard dashboard = new HttpDashboard(http, pool, token, stats, fingerprint, metrics);
        http.createContext("/", dashboard::handle);
        http.setExecutor(pool);
        http.start();
        return dashboard;
    }

    @Override
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public void item(ReceivedItem item) {
        feed.item(item);
    }

    @Override
    public void event(ServerEvent event) {
        feed.event(event);
    }

    @Override
    public void frame(Frame frame) {
        feed.frame(frame);
    }

    @Override
    public void streamEnded(StreamEnd end) {
        feed.frames().ended(end.streamKey());
    }

    /** Live SSE clients (for tests and the docs' limits). */
    int sseClients() {
        return hub.clients();
    }

    private void handle(HttpExchange exchange) {
        try {
            if (!token.required() && !HostCheck.loopback(exchange)) {
                Responses.text(exchange, 403, HostCheck.refusal(exchange.getRequestHeaders().getFirst("Host")));
                return;
            }
            if (!token.allows(exchange)) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"udpix\"");
                Responses.text(exchange, 401, TokenCheck.howTo());
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                Responses.text(exchange, 405, exchange.getRequestMethod() + " is not served here: the dashboard "
                        + "only answers GET");
                return;
            }
            route(exchange, exchange.getRequestURI().getRawPath());
        } catch (IOException e) {
            // The client went away mid-response.
        } catch (RuntimeException e) {
            System.getLogger(HttpDashboard.class.getName()).log(System.Logger.Level.WARNING,
                    "dashboard request " + exchange.getRequestURI().getRawPath() + " failed", e);
            try {
                Responses.text(exchange, 500, "the dashboard failed on this request: " + e);
            } catch (IOException | RuntimeException ignored) {
                // Headers were already sent; the connection closes below.
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange, String path) throws IOException {
        if (path.equals("/") || path.equals("/index.html")) {
            files.serve(exchange, "index.html");
        } else if (path.equals("/favicon.ico")) {
            // Browsers ask for it unprompted; 204 keeps a 404 out of the page's console.
            exchange.getResponseHeaders().set("Cache-Control", "max-age=86400");
            exchange.sendResponseHeaders(204, -1);
        } else if (path.startsWith("/static/")) {
            String name = decode(path.substring("/static/".length()));
            files.serve(exchange, name == null || name.indexOf('/') >= 0 ? "" : name);
        } else if (path.equals("/api/stats")) {
            Responses.json(exchange, snapshots.take());
        } else if (path.equals("/api/events")) {
            hub.serve(exchange);
        } else if (path.equals("/metrics")) {
            Responses.send(exchange, 200, PrometheusMetrics.CONTENT_TYPE,
                    metrics.get().getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith("/api/latest/")) {
            latest(exchange, path);
        } else if (path.startsWith("/api/stream/")) {
            stream(exchange, path);
        } else {
            notFound(exchange, path);
        }
    }

    private void latest(HttpExchange exchange, String path) throws IOException {
        Matcher m = LATEST.matcher(path);
        if (!m.matches()) {
            notFound(exchange, path);
            return;
        }
        int port = Integer.parseInt(m.group(1));
        LatestImage image = feed.latestImage(port);
        if (image == null) {
            Responses.text(exchange, 404, "no image received on port " + port + " yet");
            return;
        }
        String etag = "\"" + image.seq() + "\"";
        if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        JpegImages.Result result = jpegs.jpeg(image);
        if (result.jpeg() == null) {
            Responses.text(exchange, result.status(), result.message());
            return;
        }
        exchange.getResponseHeaders().set("ETag", etag);
        Responses.send(exchange, 200, "image/jpeg", result.jpeg());
    }

    private void stream(HttpExchange exchange, String path) throws IOException {
        Matcher m = STREAM.matcher(path);
        String key = m.matches() ? decode(m.group(1)) : null;
        if (key == null || key.indexOf('#') < 0) {
            Responses.text(exchange, 404, "no stream at " + path + "; stream URLs are /api/stream/KEY.mjpg with "
                    + "the URL-encoded key HOST:PORT#ID from /api/stats");
            return;
        }
        if (m.group(2).equals("mjpg")) {
            mjpeg.serve(exchange, key);
            return;
        }
        Frame frame = feed.frames().latest(key);
        if (frame == null) {
            Responses.text(exchange, 404, "no JPEG frame of stream " + key + " yet");
            return;
        }
        Responses.send(exchange, 200, "image/jpeg", frame.bytes());
    }

    private static void notFound(HttpExchange exchange, String path) throws IOException {
        Responses.text(exchange, 404, "nothing at " + path + "; the dashboard serves /, /api/stats, /api/events, "
                + "/api/latest/PORT.jpg, /api/stream/KEY.mjpg and /metrics (docs/DASHBOARD.md)");
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        hub.close();
        feed.frames().endAll();
        // Up to 1 s for the streams just ended to write their last bytes and close cleanly.
        http.stop(1);
        pool.shutdownNow();
        AutoCloseable also = closeAlso;
        if (also != null) {
            try {
                also.close();
            } catch (Exception e) {
                System.getLogger(HttpDashboard.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the Prometheus exporter failed", e);
            }
        }
    }
}
