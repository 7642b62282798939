package io.udpix.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code udpix --version}: the build's version (from a Maven-filtered resource) and the Java running it. */
public final class VersionProvider implements IVersionProvider {

    static final String RESOURCE = "/udpix-version.properties";

    @Override
    public String[] getVersion() {
        return new String[] {
            "udpix " + version(),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") on "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        };
    }

    /** The project version, or {@code "unknown"} when run from classes not built by Maven. */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            // Unfiltered (e.g. an IDE copied the raw resource): say so rather than print a placeholder.
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
