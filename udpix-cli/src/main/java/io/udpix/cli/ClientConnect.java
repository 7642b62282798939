package io.udpix.cli;

import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.cli.convert.HostPort;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.Consumer;

/** Connects a client command ({@code send}, {@code stream}) to its server, turning failures into exit codes. */
public final class ClientConnect {

    private ClientConnect() {
    }

    /**
     * Looks up {@code to}'s host.
     *
     * @throws CliException (cannot reach, exit code 3) naming the host
     */
    public static InetSocketAddress resolve(HostPort to) {
        try {
            return to.resolve();
        } catch (UnknownHostException e) {
            throw CliException.cannotBindOrReach("cannot resolve host '" + to.host() + "'; check the name in --to "
                    + "or use an IP address", e);
        }
    }

    /**
     * Connects to {@code to} with {@code trust}, and prints the trust-on-first-use notice to {@code err}.
     *
     * @param driver the driver's name, or null for the API's default
     * @throws CliException exit code 3 when the server cannot be reached, 4 when a key is refused, 2 for a driver
     *                      that cannot run here
     */
    public static UdpixClient connect(HostPort to, Duration connectTimeout, String driver, ClientTrust trust,
            PrintStream err) {
        return connect(to, connectTimeout, driver, trust, null, err);
    }

    /** As above, tracing the connection when {@code qlog} has --qlog (null: no tracing). */
    public static UdpixClient connect(HostPort to, Duration connectTimeout, String driver, ClientTrust trust,
            io.udpix.cli.trace.QlogOption qlog, PrintStream err) {
        return connect(to, connectTimeout, driver, trust, qlog, err, builder -> { });
    }

    /** As above, with {@code tune} applied to the client's builder last (e.g. no crypto warm-up). */
    public static UdpixClient connect(HostPort to, Duration connectTimeout, String driver, ClientTrust trust,
            io.udpix.cli.trace.QlogOption qlog, PrintStream err, Consumer<UdpixClient.Builder> tune) {
        return awaitConnected(start(to, connectTimeout, driver, trust, qlog, tune), err);
    }

    /**
     * Starts a client and its handshake without waiting ({@link UdpixClient.Builder#start()}): items sent now
     * leave with the handshake's last message. Then {@link #awaitConnected}.
     *
     * @throws CliException as {@link #connect} does for what fails before the server answers
     */
    public static UdpixClient start(HostPort to, Duration connectTimeout, String driver, ClientTrust trust,
            io.udpix.cli.trace.QlogOption qlog, Consumer<UdpixClient.Builder> tune) {
        UdpixClient.Builder builder = UdpixClient.builder(resolve(to)).connectTimeout(connectTimeout);
        if (driver != null) {
            builder.driver(driver);
        }
        trust.applyTo(builder);
        if (qlog != null) {
            qlog.applyTo(builder);
        }
        tune.accept(builder);
        io.udpix.cli.startup.StartupTrace.mark("connecting");
        try {
            return builder.start();
        } catch (UdpixException e) {
            throw new CliException(e.kind().exitCode(), e.getMessage(), e);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw CliException.badUsage(e.getMessage());
        }
    }

    /**
     * Waits for the handshake of a {@link #start started} client and prints the trust-on-first-use notice to
     * {@code err}.
     *
     * @throws CliException exit code 3 when the server cannot be reached, 4 when a key is refused (the client is
     *                      closed)
     */
    public static UdpixClient awaitConnected(UdpixClient client, PrintStream err) {
        try {
            client.awaitConnected();
        } catch (UdpixException e) {
            throw new CliException(e.kind().exitCode(), e.getMessage(), e);
        }
        client.trustNotice().ifPresent(notice -> err.println("udpix: " + notice));
        return client;
    }
}
