package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve --http}: the dashboard through the real command line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    @Test
    void serveWithHttpPrintsTheUrlAndTheDashboardShowsAnImageSentWithUdpixSendEvenWithNoStreams()
            throws Exception {
        Path image = TestFiles.imageFile(Files.createDirectories(temp.resolve("client")), "cat.png", 120, 90,
                new SplittableRandom(5));
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("in").toString(),
                "--http", "0", "--no-streams")) {
            String line = serve.out().await(l -> l.startsWith("dashboard on "), Duration.ofSeconds(10));
            assertThat(line).matches("dashboard on http://127\\.0\\.0\\.1:\\d+/");
            String url = line.substring("dashboard on ".length());
            assertThat(get(url + "api/latest/" + serve.ports().get(0) + ".jpg").statusCode()).isEqualTo(404);

            Cli.Result sent = Cli.run("send", image.toString(), "--to", serve.address(0));
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
            HttpResponse<byte[]> latest = awaitOk(url + "api/latest/" + serve.ports().get(0) + ".jpg");
            BufferedImage shown = ImageIO.read(new ByteArrayInputStream(latest.body()));
            assertThat(shown.getWidth()).isEqualTo(120);
            assertThat(shown.getHeight()).isEqualTo(90);
            JsonNode stats = JSON.readTree(get(url + "api/stats").body());
            assertThat(stats.at("/totals/itemsReceived").asLong()).isEqualTo(1);
            assertThat(stats.at("/ports/0/latestImage/name").asText()).isEqualTo("cat.png");
            assertThat(serve.stop().exitCode()).isZero();
        }
    }

    @Test
    void jsonFormatPrintsAnHttpEventWhoseUrlCarriesTheRandomTokenTheDashboardDemands() throws Exception {
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("in").toString(),
                "--format", "json", "--http", "127.0.0.1:0", "--http-token", "auto")) {
            String line = serve.out().await(l -> l.contains("\"event\":\"http\""), Duration.ofSeconds(10));
            JsonNode event = JSON.readTree(line);
            String url = event.get("url").asText();
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]{32}");
            String base = url.substring(0, url.indexOf('?'));
            assertThat(get(base + "api/stats").statusCode()).isEqualTo(401);
            assertThat(get(url).statusCode()).isEqualTo(200);
            assertThat(get(base + "api/stats" + url.substring(url.indexOf('?'))).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aDashboardBeyondLoopbackWithoutATokenIsRefusedWithExit2AndTheFix() {
        Cli.Result result = Cli.run("serve", "--port", "0", "--out", temp.resolve("in").toString(), "--http",
                "0.0.0.0:8080");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", result.err())).contains("--http 0.0.0.0:8080 would serve the dashboard beyond "
                + "this machine without a password; give --http-token TOKEN (or --http-token auto for a random "
                + "one), or bind 127.0.0.1");
    }

    @Test
    void httpWithPlainModeAShortTokenOrATokenWithoutHttpAreRefusedWithExit2() {
        Cli.Result plain = Cli.run("serve", "--port", "0", "--out", temp.resolve("a").toString(), "--plain",
                "--http", "0");
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", plain.err())).contains("--http needs native mode");
        Cli.Result shortToken = Cli.run("serve", "--port", "0", "--out", temp.resolve("b").toString(), "--http",
                "0", "--http-token", "abc");
        assertThat(shortToken.exitCode()).as(shortToken.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", shortToken.err())).contains("--http-token must be 8 to 256");
        Cli.Result noHttp = Cli.run("serve", "--port", "0", "--out", temp.resolve("c").toString(), "--http-token",
                "auto");
        assertThat(noHttp.exitCode()).as(noHttp.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(String.join("\n", noHttp.err())).contains("add --http PORT");
    }

    @Test
    void aDashboardPortInUseEndsServeWithExit3AndSaysPickAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Cli.Result result = Cli.run("serve", "--port", "0", "--out", temp.resolve("in").toString(), "--http",
                    String.valueOf(port));
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CANNOT_BIND_OR_REACH);
            assertThat(String.join("\n", result.err())).contains("port " + port + " is in use; pick another with "
                    + "--http");
        }
    }

    private HttpResponse<byte[]> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<byte[]> awaitOk(String url) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HttpResponse<byte[]> got;
        do {
            got = get(url);
            if (got.statusCode() == 200) {
                return got;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadlineNs);
        throw new AssertionError("never 200: " + got.statusCode() + " " + new String(got.body()));
    }
}
