package io.udpix.cli;

import io.udpix.driver.Drivers;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --driver auto|nio|epoll}: mixed into the native-mode commands (serve, send). No io_uring driver is built,
 * so the help does not offer one ({@code Drivers} still knows the name, for a module that may provide it).
 */
public final class DriverOption {

    @Option(names = "--driver", paramLabel = "NAME", defaultValue = "auto",
            description = "How UDP is driven: auto (the fastest available here; NIO on loopback and for sends of "
                    + "less than 64 MiB, which start sooner without Netty), nio (the JDK's sockets, always "
                    + "available) or epoll (Linux, when its module is on the class path). "
                    + "Default: ${DEFAULT-VALUE}.")
    private String name = "auto";

    /**
     * The driver name to hand to the API, checked now so that a driver that cannot run here is a usage error
     * before anything starts. {@code auto} stays {@code auto}: {@link Drivers#start} then also weighs the address
     * (NIO on loopback, where it measured faster).
     *
     * @throws CliException (bad usage) naming the known drivers, or why the chosen one cannot run here
     */
    public String resolve() {
        if (Drivers.isPlainAuto(name)) {
            return "auto"; // checking it would load Netty (about 0.3 s), even where auto then picks NIO
        }
        try {
            Drivers.resolve(name);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw CliException.badUsage(e.getMessage());
        }
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
