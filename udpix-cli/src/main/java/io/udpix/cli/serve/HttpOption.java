package io.udpix.cli.serve;

import io.udpix.api.UdpixServer;
import io.udpix.cli.CliException;
import io.udpix.cli.ExitCodes;
import io.udpix.dashboard.Dashboard;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** {@code --http [HOST:]PORT} and {@code --http-token TOKEN|auto}: the web dashboard of {@code serve}. */
public final class HttpOption {
    /** {@code --http-token auto}: 128 bits from SecureRandom (docs/DASHBOARD.md). */
    static final int AUTO_TOKEN_BYTES = 16;
    /** What a token may hold: it travels in a URL, a header and a cookie unescaped. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{8,256}");

    @Option(names = "--http", paramLabel = "[HOST:]PORT",
            description = "Serve the web dashboard (live figures, latest images, frame streams, /api/stats, "
                    + "/metrics) on PORT of 127.0.0.1, or of HOST (0.0.0.0: every interface; needs --http-token). "
                    + "The URL is printed at start. Native mode. Default: no dashboard. See docs/DASHBOARD.md.")
    private String http;

    @Option(names = "--http-token", paramLabel = "TOKEN|auto",
            description = "The dashboard's password: every request must carry it (the printed URL does). auto "
                    + "makes a random 128-bit one. 8 to 256 of A-Z a-z 0-9 . _ ~ -. Required when --http is not "
                    + "on loopback.")
    private String httpToken;

    private InetSocketAddress address;
    private String token;

    /** Whether {@code --http} was given. */
    public boolean enabled() {
        return http != null;
    }

    /**
     * Checks the options before anything binds: address, token, and that the mode has the figures.
     *
     * @throws CliException exit code 2 with the reason and the fix
     */
    public void check(boolean plain) {
        if (http == null) {
            if (httpToken != null) {
                throw CliException.badUsage("--http-token protects the dashboard, but there is none; add --http "
                        + "PORT or remove --http-token");
            }
            return;
        }
        if (plain) {
            throw CliException.badUsage("--http needs native mode: plain mode keeps no engine figures for the "
                    + "dashboard to show; leave out --plain or --http");
        }
        address = parse(http);
        if (httpToken != null) {
            token = httpToken.equals("auto") ? random(new SecureRandom()) : httpToken;
            if (!TOKEN.matcher(token).matches()) {
                throw CliException.badUsage("--http-token must be 8 to 256 of the characters A-Z a-z 0-9 . _ ~ - "
                        + "(it goes into URLs and cookies as it is); or use --http-token auto for a random one");
            }
        } else if (!address.getAddress().isLoopbackAddress()) {
            throw CliException.badUsage("--http " + http + " would serve the dashboard beyond this machine "
                    + "without a password; give --http-token TOKEN (or --http-token auto for a random one), or "
                    + "bind 127.0.0.1");
        }
    }

    /** The address {@code --http} names (after {@link #check}). */
    InetSocketAddress address() {
        return address;
    }

    /** The token, or null (after {@link #check}). */
    String token() {
        return token;
    }

    /**
     * Starts the dashboard for {@code server}.
     *
     * @throws CliException exit code 3 when the port is in use or the address is not this machine's
     */
    Dashboard start(UdpixServer server) {
        try {
            return Dashboard.start(address, token, server);
        } catch (BindException e) {
            if (e.getMessage() != null && e.getMessage().contains("in use")) {
                throw new CliException(ExitCodes.CANNOT_BIND_OR_REACH, "port " + address.getPort()
                        + " is in use; pick another with --http", e);
            }
            throw new CliException(ExitCodes.CANNOT_BIND_OR_REACH, "cannot serve the dashboard on " + http + ": "
                    + e.getMessage() + "; pick an address of this machine with --http", e);
        } catch (IOException e) {
            throw new CliException(ExitCodes.CANNOT_BIND_OR_REACH, "cannot serve the dashboard on " + http + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}. */
    static InetSocketAddress parse(String text) {
        String host = "127.0.0.1";
        String port = text.strip();
        int colon = port.lastIndexOf(':');
        if (colon >= 0) {
            host = port.substring(0, colon);
            port = port.substring(colon + 1);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                throw CliException.badUsage("--http " + text + ": put an IPv6 address in brackets, e.g. --http "
                        + "[::1]:8080");
            }
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 0 || number > 65_535) {
            throw CliException.badUsage("--http " + text + ": the port must be 0 to 65535, as in --http 8080 or "
                    + "--http 0.0.0.0:8080");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), number);
        } catch (UnknownHostException e) {
            throw CliException.badUsage("--http " + text + ": '" + host + "' is not an address of this machine; "
                    + "use e.g. 127.0.0.1, 0.0.0.0 or [::1]");
        }
    }

    /** A random token of {@link #AUTO_TOKEN_BYTES} bytes, in hex. */
    static String random(SecureRandom random) {
        byte[] bytes = new byte[AUTO_TOKEN_BYTES];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
