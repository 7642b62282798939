package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/stream/KEY.mjpg} and {@code .jpg} for a running frame stream over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardMjpegTest {

    @Test
    void aRunningFrameStreamIsServedAsMjpegPartsThatDecodeAndItsRowNamesTheViewUrl() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            FrameStream stream = live.client.openStream(StreamOptions.builder().name("cam").fps(20).build());
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread sender = new Thread(() -> {
                for (int i = 0; sending.get() && i < 600; i++) {
                    try {
                        stream.send(LiveDashboard.picture(160, 120, "jpg", 100 + i));
                        Thread.sleep(50);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "test-frames");
            sender.setDaemon(true);
            sender.start();
            try {
                JsonNode stats = DashboardApiTest.awaitStats(live, s -> s.at("/streams").size() == 1
                        && s.at("/streams/0/onTime").asLong() > 0 && !s.at("/streams/0/name").asText().isEmpty());
                JsonNode row = stats.at("/streams/0");
                String key = "127.0.0.1:" + live.client.localAddress().getPort() + "#" + stream.id();
                assertThat(row.at("/key").asText()).isEqualTo(key);
                assertThat(row.at("/name").asText()).isEqualTo("cam");
                assertThat(row.at("/codec").asText()).isEqualTo("JPEG");
                assertThat(row.at("/port").asInt()).isEqualTo(live.port());
                String url = row.at("/mjpeg").asText();
                assertThat(url).isEqualTo("/api/stream/127.0.0.1%3A" + live.client.localAddress().getPort() + "%23"
                        + stream.id() + ".mjpg");

                HttpResponse<InputStream> mjpeg = live.http.send(HttpRequest.newBuilder(live.uri(url)).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(mjpeg.statusCode()).isEqualTo(200);
                assertThat(mjpeg.headers().firstValue("Content-Type"))
                        .hasValue("multipart/x-mixed-replace; boundary=udpixframe");
                List<byte[]> parts = new ArrayList<>();
                try (InputStream in = mjpeg.body()) {
                    while (parts.size() < 3) {
                        parts.add(readPart(in));
                    }
                }
                for (byte[] part : parts) {
                    BufferedImage frame = ImageIO.read(new ByteArrayInputStream(part));
                    assertThat(frame.getWidth()).isEqualTo(160);
                    assertThat(frame.getHeight()).isEqualTo(120);
                }
                HttpResponse<byte[]> single = live.get(url.replace(".mjpg", ".jpg"));
                assertThat(single.statusCode()).isEqualTo(200);
                assertThat(JpegImages.isJpeg(single.body())).isTrue();
            } finally {
                sending.set(false);
                sender.join(5_000);
                stream.close();
            }
        }
    }

    @Test
    void anUnknownStreamsSingleFrameIsA404AndAMalformedKeyToo() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            HttpResponse<String> none = live.getText("/api/stream/127.0.0.1%3A1%231.jpg");
            assertThat(none.statusCode()).isEqualTo(404);
            assertThat(none.body()).contains("no JPEG frame of stream 127.0.0.1:1#1 yet");
            assertThat(live.getText("/api/stream/nokey.mjpg").statusCode()).isEqualTo(404);
        }
    }

    /** Reads one multipart part: boundary line, headers, Content-Length bytes. */
    private static byte[] readPart(InputStream in) throws IOException {
        String line;
        do {
            line = readLine(in);
        } while (line.isEmpty());
        assertThat(line).isEqualTo("--udpixframe");
        int length = -1;
        while (!(line = readLine(in)).isEmpty()) {
            if (line.startsWith("Content-Length: ")) {
                length = Integer.parseInt(line.substring(16));
            } else {
                assertThat(line).isEqualTo("Content-Type: image/jpeg");
            }
        }
        assertThat(length).isPositive();
        return in.readNBytes(length);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("the MJPEG response ended");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }
}
