package io.udpix.cli;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * Where udpix keeps its keys and the servers it trusts: {@code -Dudpix.config.dir} (tests), else
 * {@code $UDPIX_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/udpix}, else {@code ~/.config/udpix} (the XDG base
 * directory specification's default). Holds {@code server.key}, {@code client.key} and {@code known_servers}.
 */
public final class ConfigDir {
    /** System property that overrides everything (set by the build for every test JVM). */
    public static final String PROPERTY = "udpix.config.dir";
    /** Environment variable that overrides the XDG location. */
    public static final String ENV = "UDPIX_CONFIG_DIR";
    /** The server's key, created on the first {@code serve}. */
    public static final String SERVER_KEY = "server.key";
    /** The client's key, written by {@code keygen} and used by {@code send} when present. */
    public static final String CLIENT_KEY = "client.key";
    /** Servers trusted on first use. */
    public static final String KNOWN_SERVERS = "known_servers";

    private ConfigDir() {
    }

    /** The directory for this process (it may not exist yet). */
    public static Path resolve() {
        return resolve(System::getProperty, System::getenv);
    }

    /** The directory given these system properties and environment variables (for tests). */
    static Path resolve(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String explicit = nonEmpty(properties.apply(PROPERTY));
        if (explicit == null) {
            explicit = nonEmpty(env.apply(ENV));
        }
        if (explicit != null) {
            return Path.of(explicit);
        }
        String xdg = nonEmpty(env.apply("XDG_CONFIG_HOME"));
        // The XDG spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "udpix");
        }
        return Path.of(properties.apply("user.home"), ".config", "udpix");
    }

    /** {@code name} in the directory. */
    public static Path file(String name) {
        return resolve().resolve(name);
    }

    private static String nonEmpty(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
