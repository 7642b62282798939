package io.udpix.cli;

import io.udpix.driver.Drivers;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --driver NAME}: mixed into the native-mode commands (serve, send, stream). Help, completion and errors
 * offer only the drivers present ({@link Drivers#kinds()}: auto, nio, and epoll when its module is on the class
 * path), never a name no module provides.
 */
public final class DriverOption {

    @Option(names = "--driver", paramLabel = "NAME", defaultValue = "auto",
            completionCandidates = PresentDrivers.class,
            description = "How UDP is driven, one of: ${COMPLETION-CANDIDATES}. auto: the fastest available here "
                    + "(NIO on loopback and for sends of less than 64 MiB, which start sooner without Netty); nio: "
                    + "the JDK's sockets, always available; epoll: Linux, GSO/GRO. "
                    + "Default: ${DEFAULT-VALUE}.")
    private String name = "auto";

    /**
     * The driver name to hand to the API, checked now so that a driver that cannot run here is a usage error
     * before anything starts. {@code auto} stays {@code auto}: {@link Drivers#start} then also weighs the address
     * (NIO on loopback, where it measured faster).
     *
     * @throws CliException (bad usage) naming the drivers present, or why the chosen one cannot run here
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

    /**
     * The driver names present on this class path, for help text and shell completion. Iterated only when help or
     * completion is printed: looking providers up costs a class-path scan, which a plain run need not pay.
     */
    public static final class PresentDrivers implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Drivers.kinds().iterator();
        }
    }
}
