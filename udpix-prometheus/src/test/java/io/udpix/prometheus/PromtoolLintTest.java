package io.udpix.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.udpix.api.Item;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.api.stream.FrameStream;
import io.udpix.api.stream.StreamOptions;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A second opinion from Prometheus itself: {@code promtool check metrics} (Prometheus's own Go parser and its
 * naming lint) on a scrape with a connection and a stream. Skipped where promtool is not installed (Debian:
 * {@code apt-get install prometheus}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PromtoolLintTest {

    private static boolean promtoolInstalled() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, "promtool").canExecute()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void prometheusOwnParserAcceptsTheScrapeWithoutLintProblems() throws Exception {
        assumeTrue(promtoolInstalled(), "promtool not installed");
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).onFrame(f -> { }).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.bytes(new byte[30_000], "a"));
            FrameStream stream = client.openStream(StreamOptions.builder().name("s").fps(50).build());
            for (int i = 0; i < 5; i++) {
                stream.send(new byte[1_000]);
                Thread.sleep(20);
            }
            String text = PrometheusMetrics.forServer(server).scrape();
            assertThat(text).contains("udpix_stream_frames_total{");
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // promtool closed its input early: its output below says why.
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out).as("promtool's findings").isEmpty();
            assertThat(p.exitValue()).isZero();
        }
    }
}
