package io.udpix.viewer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ViewerWindowTest {

    @Test
    void reportsNoDisplayWhenHeadless() {
        // The module's surefire configuration runs tests with -Djava.awt.headless=true.
        assertThat(System.getProperty("java.awt.headless")).isEqualTo("true");
        assertThat(ViewerWindow.displayAvailable()).isFalse();
    }

    @Test
    void refusesToOpenWithoutADisplayAndSaysWhatToDo() {
        assertThatThrownBy(() -> ViewerWindow.open("udpix"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no display")
                .hasMessageContaining("--display");
    }
}
