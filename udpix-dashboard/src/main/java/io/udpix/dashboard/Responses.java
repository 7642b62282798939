package io.udpix.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Whole responses: a body known in full, {@code Cache-Control: no-store} on everything dynamic. */
final class Responses {
    private Responses() {
    }

    /** {@code status} with a plain-text {@code message} (and a newline). */
    static void text(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** 200 with a JSON body. */
    static void json(HttpExchange exchange, byte[] body) throws IOException {
        send(exchange, 200, "application/json; charset=utf-8", body);
    }

    /** {@code status} with {@code body} of {@code contentType}, not cached. */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
