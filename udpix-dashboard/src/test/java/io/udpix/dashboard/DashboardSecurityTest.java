package io.udpix.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.ServerStats;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The token, GET only, no way out of the static directory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardSecurityTest {
    private static final String TOKEN = "s3cret-Token_1";

    @TempDir
    Path temp;

    @Test
    void withATokenARequestWithoutItIs401AndBearerQueryAndTheCookieItSetsAreLetIn() throws Exception {
        try (LiveDashboard live = LiveDashboard.start(temp, TOKEN)) {
            assertThat(live.dashboard.url()).isEqualTo("http://127.0.0.1:" + live.dashboard.address().getPort()
                    + "/?token=" + TOKEN);
            HttpResponse<String> without = live.getText("/api/stats");
            assertThat(without.statusCode()).isEqualTo(401);
            assertThat(without.body()).contains("Authorization: Bearer TOKEN").contains("?token=");
            assertThat(without.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer");
            assertThat(status(live, "/api/stats", "Bearer wrong-token")).isEqualTo(401);
            assertThat(status(live, "/api/stats", "Bearer " + TOKEN.substring(0, 5))).as("a prefix").isEqualTo(401);
            assertThat(live.getText("/api/stats?token=wrong").statusCode()).isEqualTo(401);

            assertThat(status(live, "/api/stats", "Bearer " + TOKEN)).isEqualTo(200);

            HttpResponse<String> byQuery = live.getText("/?token=" + TOKEN);
            assertThat(byQuery.statusCode()).isEqualTo(200);
            String cookie = byQuery.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).startsWith("udpix_token=" + TOKEN + ";").contains("HttpOnly")
                    .contains("SameSite=Strict").contains("Path=/");
            HttpResponse<String> byCookie = live.http.send(HttpRequest.newBuilder(live.uri("/api/stats"))
                    .header("Cookie", "other=1; udpix_token=" + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(byCookie.statusCode()).isEqualTo(200);
            HttpResponse<String> badCookie = live.http.send(HttpRequest.newBuilder(live.uri("/api/stats"))
                    .header("Cookie", "udpix_token=" + TOKEN + "x").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(badCookie.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aNonLoopbackAddressWithoutATokenIsRefused() {
        assertThatThrownBy(() -> HttpDashboard.start(new InetSocketAddress("0.0.0.0", 0), null,
                () -> ServerStats.EMPTY, "SHA256:x", () -> ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a token");
        assertThatThrownBy(() -> HttpDashboard.start(new InetSocketAddress("127.0.0.1", 0), "",
                () -> ServerStats.EMPTY, "SHA256:x", () -> ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty");
    }

    @Test
    void onlyGetIsServedAndNoPathLeavesTheStaticDirectory() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            HttpResponse<String> post = live.http.send(HttpRequest.newBuilder(live.uri("/api/stats"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET");
            assertThat(post.body()).contains("only answers GET");

            assertThat(live.getText("/").statusCode()).isEqualTo(200);
            assertThat(live.getText("/").headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(live.getText("/static/index.html").statusCode()).isEqualTo(200);
            assertThat(live.getText("/static/nothing.js").statusCode()).isEqualTo(404);
            assertThat(live.getText("/favicon.ico").statusCode()).as("no 404 in the page's console").isEqualTo(204);
            // A client that normalises paths would never send these, so they go over a raw socket.
            for (String path : new String[] {"/static/../x", "/static/../Dashboard.class",
                "/static/..%2FHttpDashboard.class", "/static/%2e%2e/%2e%2e/dashboard/Dashboard.class",
                "/static/.hidden", "/static//etc/passwd", "/static/../../../../etc/passwd"}) {
                assertThat(rawStatus(live, path)).as(path).isEqualTo(404);
            }
            assertThat(live.getText("/api/nothing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutATokenOnlyRequestsNamingLoopbackAreAnsweredAgainstDnsRebinding() throws Exception {
        try (LiveDashboard live = LiveDashboard.start()) {
            assertThat(rawStatus(live, "/api/stats", "evil.example:8080")).isEqualTo(403);
            assertThat(rawStatus(live, "/api/stats", "localhost:8080")).isEqualTo(200);
            assertThat(rawStatus(live, "/api/stats", "127.0.0.1")).isEqualTo(200);
            assertThat(rawStatus(live, "/api/stats", "[::1]:8080")).isEqualTo(200);
        }
        try (LiveDashboard live = LiveDashboard.start(temp, TOKEN)) {
            assertThat(rawStatus(live, "/api/stats", "dashboard.lan:8080")).as("a token makes any name fine")
                    .isEqualTo(401);
        }
    }

    private static int status(LiveDashboard live, String path, String authorization) throws Exception {
        return live.http.send(HttpRequest.newBuilder(live.uri(path)).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int rawStatus(LiveDashboard live, String path) throws Exception {
        return rawStatus(live, path, "127.0.0.1");
    }

    private static int rawStatus(LiveDashboard live, String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", live.dashboard.address().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
