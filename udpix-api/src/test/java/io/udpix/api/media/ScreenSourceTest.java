package io.udpix.api.media;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.GraphicsEnvironment;
import java.io.IOException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ScreenSourceTest {

    @Test
    void aHeadlessJvmGetsAClearErrorNamingTheFix() {
        // The test JVM runs with -Djava.awt.headless=true (udpix-api's surefire configuration).
        Assumptions.assumeTrue(GraphicsEnvironment.isHeadless());
        assertThatThrownBy(ScreenSource::new).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot capture the screen").hasMessageContaining("headless")
                .hasMessageContaining("--source pattern");
    }
}
