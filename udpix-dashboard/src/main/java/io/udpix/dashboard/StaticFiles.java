package io.udpix.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The page's files from the jar ({@code io/udpix/dashboard/static/}). Only plain file names are looked up (letters,
 * digits, dot, dash, underscore; no leading dot), so no path can climb out of the directory.
 */
final class StaticFiles {
    static final String ROOT = "/io/udpix/dashboard/static/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json; charset=utf-8");

    /** Serves {@code name} (e.g. "app.js"), or 404. */
    void serve(HttpExchange exchange, String name) throws IOException {
        byte[] body = read(name);
        if (body == null) {
            Responses.text(exchange, 404, "no file " + name + " here; the page's files are index.html, app.js, "
                    + "style.css and the uPlot files under /static/");
            return;
        }
        Responses.send(exchange, 200, contentType(name), body);
    }

    /** The file's bytes, or null when the name is not a plain file name or not in the jar. */
    static byte[] read(String name) throws IOException {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            return null;
        }
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(ext, "application/octet-stream");
    }
}
