package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDirTest {

    @Test
    void theSystemPropertyWinsThenUdpixConfigDirThenXdgConfigHomeThenDotConfig() {
        Map<String, String> props = Map.of("user.home", "/home/ann", ConfigDir.PROPERTY, "/tmp/test-config");
        Map<String, String> env = Map.of(ConfigDir.ENV, "/etc/udpix-env", "XDG_CONFIG_HOME", "/home/ann/xdg");

        assertThat(ConfigDir.resolve(props::get, env::get)).isEqualTo(Path.of("/tmp/test-config"));
        assertThat(ConfigDir.resolve(Map.of("user.home", "/home/ann")::get, env::get))
                .isEqualTo(Path.of("/etc/udpix-env"));
        assertThat(ConfigDir.resolve(Map.of("user.home", "/home/ann")::get,
                Map.of("XDG_CONFIG_HOME", "/home/ann/xdg")::get)).isEqualTo(Path.of("/home/ann/xdg/udpix"));
        assertThat(ConfigDir.resolve(Map.of("user.home", "/home/ann")::get, Map.<String, String>of()::get))
                .isEqualTo(Path.of("/home/ann/.config/udpix"));
    }

    @Test
    void aRelativeXdgConfigHomeIsIgnoredAsTheXdgSpecificationSays() {
        assertThat(ConfigDir.resolve(Map.of("user.home", "/home/ann")::get,
                Map.of("XDG_CONFIG_HOME", "relative/dir")::get)).isEqualTo(Path.of("/home/ann/.config/udpix"));
    }

    @Test
    void testsRunWithAConfigDirectoryOutsideTheUsersHome() {
        assertThat(ConfigDir.resolve().toAbsolutePath().normalize())
                .as("the build sets -D%s so tests never touch ~/.config/udpix", ConfigDir.PROPERTY)
                .isNotEqualTo(Path.of(System.getProperty("user.home"), ".config", "udpix"));
    }
}
