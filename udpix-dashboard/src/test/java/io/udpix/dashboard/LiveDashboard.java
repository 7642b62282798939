package io.udpix.dashboard;

import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * A real server on a loopback port whose callbacks feed a dashboard on another loopback port, as {@code udpix
 * serve --http} wires them, and a client to send with. For the dashboard's tests.
 */
final class LiveDashboard implements AutoCloseable {
    final UdpixServer server;
    final HttpDashboard dashboard;
    final UdpixClient client;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile HttpDashboard fed;

    private LiveDashboard(Path out, String token) throws IOException {
        UdpixServer.Builder builder = UdpixServer.builder().port(0)
                .onImage(i -> feed().item(i)).onJson(i -> feed().item(i)).onEvent(e -> feed().event(e))
                .onFrame(f -> feed().frame(f)).onStreamEnded(e -> feed().streamEnded(e));
        if (out != null) {
            builder.outputDirectory(out);
        }
        server = builder.start();
        dashboard = HttpDashboard.start(new InetSocketAddress("127.0.0.1", 0), token, server);
        fed = dashboard;
        client = UdpixClient.builder(server.localAddresses().get(0)).serverKey(server.fingerprint()).connect();
    }

    /** Images held in memory (no output directory), no token. */
    static LiveDashboard start() throws IOException {
        return new LiveDashboard(null, null);
    }

    /** Images saved under {@code out}, and {@code token} (may be null). */
    static LiveDashboard start(Path out, String token) throws IOException {
        return new LiveDashboard(out, token);
    }

    private Dashboard feed() {
        Dashboard d = fed;
        return d != null ? d : NONE;
    }

    int port() {
        return server.localAddresses().get(0).getPort();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + dashboard.address().getPort() + path);
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> getText(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A picture with random blocks (from {@code seed}), encoded as {@code format}. */
    static byte[] picture(int width, int height, String format, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int i = 0; i < 20; i++) {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillRect(random.nextInt(width), random.nextInt(height), 1 + random.nextInt(width / 2),
                    1 + random.nextInt(height / 2));
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    @Override
    public void close() {
        client.close();
        dashboard.close();
        server.close();
    }

    private static final Dashboard NONE = new Dashboard() {
        @Override
        public InetSocketAddress address() {
            return null;
        }

        @Override
        public String url() {
            return null;
        }

        @Override
        public void item(io.udpix.api.ReceivedItem item) {
        }

        @Override
        public void event(io.udpix.api.ServerEvent event) {
        }

        @Override
        public void frame(io.udpix.api.stream.Frame frame) {
        }

        @Override
        public void close() {
        }
    };
}
