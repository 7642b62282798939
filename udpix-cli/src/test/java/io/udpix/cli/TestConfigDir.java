package io.udpix.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Runs a test's body with the config directory ({@code -Dudpix.config.dir}) set to a directory of its own. */
public final class TestConfigDir {

    private TestConfigDir() {
    }

    /** {@code body} with {@link ConfigDir#resolve()} giving {@code dir}; the previous setting is restored. */
    public static <T> T with(Path dir, Callable<T> body) throws Exception {
        String before = System.getProperty(ConfigDir.PROPERTY);
        System.setProperty(ConfigDir.PROPERTY, dir.toString());
        try {
            return body.call();
        } finally {
            if (before == null) {
                System.clearProperty(ConfigDir.PROPERTY);
            } else {
                System.setProperty(ConfigDir.PROPERTY, before);
            }
        }
    }
}
