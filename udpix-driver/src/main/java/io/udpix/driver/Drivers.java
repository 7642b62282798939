package io.udpix.driver;

import io.udpix.engine.SansIoEndpoint;
import io.udpix.engine.event.EndpointEvent;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Starts a driver by name: {@code nio} (always there), a native one found through {@link DriverProvider}
 * ({@code epoll} when udpix-driver-epoll is on the class path), or {@code auto}, the best native driver that can run
 * here, else NIO (NIO also for a loopback address, where it measured faster). Only the names of providers present
 * are offered ({@link #kinds()}): no name is listed for a driver that was never built. The
 * system property {@value #PROPERTY} replaces {@code auto} (so CI can run every test once per driver); an
 * explicitly named driver is never replaced.
 */
public final class Drivers {
    /** The system property that overrides {@code auto}: {@code -Dudpix.driver=nio}. */
    public static final String PROPERTY = "udpix.driver";
    /** The names that are always there: {@code auto} and the JDK's {@code nio}. */
    public static final List<String> BUILT_IN = List.of("auto", "nio");
    /**
     * Drivers udpix ships as modules of their own, by name: when one is asked for but absent, the error names the
     * module to add (rather than only "unknown").
     */
    private static final Map<String, String> SHIPPED_MODULES = Map.of("epoll", "udpix-driver-epoll");

    private static final System.Logger LOG = System.getLogger(Drivers.class.getName());
    /** ServiceLoader walks the class path; more providers than this means a broken class path, not a feature. */
    private static final int MAX_PROVIDERS = 16;

    private Drivers() {}

    /** {@link #start(String, SansIoEndpoint, InetSocketAddress, DriverOptions, Consumer)} with {@code auto}. */
    public static <E extends SansIoEndpoint> Driver<E> start(E endpoint, InetSocketAddress bind,
            DriverOptions options,
            Consumer<EndpointEvent> events) throws IOException {
        return start("auto", endpoint, bind, options, events);
    }

    /**
     * Starts the driver named {@code kind} (one of {@link #kinds()}, case-insensitive) on {@code bind}.
     *
     * @throws IllegalArgumentException      for an unknown name (the message lists the known ones)
     * @throws UnsupportedOperationException when the named driver cannot run here; the message names the cause
     *                                       and suggests {@code --driver nio}
     * @throws java.net.BindException        when the address cannot be bound (see {@link NioDriver#start})
     */
    public static <E extends SansIoEndpoint> Driver<E> start(String kind, E endpoint, InetSocketAddress bind,
            DriverOptions options, Consumer<EndpointEvent> events) throws IOException {
        return typed(startUntyped(kind, endpoint, bind, options, events));
    }

    /**
     * The driver of an endpoint of type {@code E}, typed so. Safe: a driver hands its commands only the endpoint
     * it was started with, which is an {@code E}; generics are erased, so this is a view, not a copy.
     */
    @SuppressWarnings("unchecked")
    private static <E extends SansIoEndpoint> Driver<E> typed(Driver<? super E> driver) {
        return (Driver<E>) driver;
    }

    private static Driver<SansIoEndpoint> startUntyped(String kind, SansIoEndpoint endpoint, InetSocketAddress bind,
            DriverOptions options, Consumer<EndpointEvent> events) throws IOException {
        if (isPlainAuto(kind) && bind.getAddress() != null && bind.getAddress().isLoopbackAddress()) {
            // Measured (docs/BENCHMARKS.md): on loopback the engine sends 64 KB datagrams, which GSO cannot
            // batch, and the NIO driver moved a 1 GiB transfer about 1.8x faster than epoll. Native drivers pay off
            // on real interfaces with 1500-byte datagrams (GSO/GRO). Decided before looking for native drivers:
            // probing one loads Netty, about 0.3 s of a short command's start-up.
            return NioDriver.start(endpoint, bind, options, events);
        }
        String resolved = resolve(kind);
        if (resolved.equals("nio")) {
            return NioDriver.start(endpoint, bind, options, events);
        }
        return provider(resolved).start(endpoint, bind, options, events);
    }

    /**
     * The concrete driver {@code kind} stands for here: {@code auto} (or a blank name) becomes the system
     * property's value if set, else the best available native driver, else {@code nio}; a concrete name is checked
     * to be available. Exceptions as in {@link #start}.
     */
    public static String resolve(String kind) {
        String name = normalize(kind);
        if (name.equals("auto")) {
            String override = normalize(System.getProperty(PROPERTY, ""));
            if (!override.equals("auto")) {
                return resolveConcrete(override, " (from -D" + PROPERTY + ")");
            }
            return best();
        }
        return resolveConcrete(name, "");
    }

    /**
     * The driver names this class path offers, in order: {@code auto}, {@code nio}, then each native provider
     * present (found through ServiceLoader), whether or not it can run on this machine (asking that would load its
     * native library). This is what help text and errors list.
     */
    public static List<String> kinds() {
        Set<String> names = new LinkedHashSet<>(BUILT_IN);
        for (Loaded loaded : load()) {
            if (loaded.provider != null) {
                names.add(normalize(loaded.provider.kind()));
            }
        }
        return List.copyOf(names);
    }

    private static String resolveConcrete(String name, String origin) {
        if (name.equals("nio")) {
            return name;
        }
        List<String> kinds = kinds();
        if (!kinds.contains(name)) {
            String module = SHIPPED_MODULES.get(name);
            String why = module == null ? "unknown driver '" + name + "'" + origin
                    : "driver '" + name + "'" + origin + " is not on the class path (add the " + module + " module)";
            throw new IllegalArgumentException(why + "; use one of " + String.join(", ", kinds));
        }
        provider(name); // throws with the cause when it cannot run
        return name;
    }

    /**
     * Whether {@code kind} is {@code auto} with no system property overriding it: it always runs (NIO is the
     * fallback), so callers need not check it ahead (checking loads the native drivers).
     */
    public static boolean isPlainAuto(String kind) {
        return normalize(kind).equals("auto") && normalize(System.getProperty(PROPERTY, "")).equals("auto");
    }

    private static String normalize(String kind) {
        String name = kind == null ? "" : kind.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return name.isEmpty() ? "auto" : name;
    }

    /** The available provider named {@code name}, or a clear UnsupportedOperationException. */
    private static DriverProvider provider(String name) {
        Throwable cause = null;
        for (Loaded loaded : load()) {
            if (loaded.provider != null && normalize(loaded.provider.kind()).equals(name)) {
                Throwable unavailable = loaded.provider.unavailabilityCause();
                if (unavailable == null) {
                    return loaded.provider;
                }
                cause = unavailable;
            }
        }
        String why = cause != null ? describe(cause) : "no " + name + " driver on the class path";
        UnsupportedOperationException e = new UnsupportedOperationException("--driver " + name
                + " is not available on this platform: " + why + "; use --driver nio");
        if (cause != null) {
            e.initCause(cause);
        }
        throw e;
    }

    /** The available provider with the highest preference, or nio. */
    private static String best() {
        DriverProvider best = null;
        for (Loaded loaded : load()) {
            DriverProvider candidate = loaded.provider;
            if (candidate == null || BUILT_IN.contains(normalize(candidate.kind()))) {
                continue; // a provider cannot take the place of auto or nio
            }
            Throwable unavailable = candidate.unavailabilityCause();
            if (unavailable != null) {
                LOG.log(System.Logger.Level.DEBUG, "driver {0} is not available: {1}", candidate.kind(),
                        describe(unavailable));
                continue;
            }
            if (best == null || candidate.preference() > best.preference()) {
                best = candidate;
            }
        }
        return best == null ? "nio" : normalize(best.kind());
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getName() : message;
    }

    /** A provider, or null when its class could not be loaded (logged). */
    private record Loaded(DriverProvider provider) {}

    private static List<Loaded> load() {
        List<Loaded> loaded = new ArrayList<>();
        var iterator = ServiceLoader.load(DriverProvider.class, Drivers.class.getClassLoader()).iterator();
        while (loaded.size() < MAX_PROVIDERS) {
            try {
                if (!iterator.hasNext()) {
                    break;
                }
                loaded.add(new Loaded(Objects.requireNonNull(iterator.next())));
            } catch (ServiceConfigurationError | LinkageError e) {
                // A provider whose classes (e.g. Netty) are missing: skip it, the others still count.
                LOG.log(System.Logger.Level.DEBUG, "a udpix driver provider could not be loaded: " + e, e);
                loaded.add(new Loaded(null));
            }
        }
        return loaded;
    }
}
