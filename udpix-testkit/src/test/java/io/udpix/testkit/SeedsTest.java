package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SeedsTest {
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(Seeds.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(Seeds.PROPERTY);
        } else {
            System.setProperty(Seeds.PROPERTY, saved);
        }
    }

    @Test
    void describeSaysHowToReRun() {
        assertThat(Seeds.describe(123)).isEqualTo("seed=123 (re-run with -Dudpix.seed=123)");
        assertThat(Seeds.describe(-5)).isEqualTo("seed=-5 (re-run with -Dudpix.seed=-5)");
    }

    @Test
    void thePropertyPinsTheSeed() {
        System.setProperty(Seeds.PROPERTY, "987654321");
        assertThat(Seeds.seedOrRandom()).isEqualTo(987_654_321L);
        System.setProperty(Seeds.PROPERTY, "-42");
        assertThat(Seeds.seedOrRandom()).isEqualTo(-42L);
    }

    @Test
    void anEmptyOrMissingPropertyGivesDifferentRandomSeeds() {
        System.setProperty(Seeds.PROPERTY, ""); // what the root pom passes when no seed is given
        long a = Seeds.seedOrRandom();
        System.clearProperty(Seeds.PROPERTY);
        long b = Seeds.seedOrRandom();
        long c = Seeds.seedOrRandom();
        assertThat(a == b && b == c).isFalse();
    }

    @Test
    void aPropertyThatIsNotANumberIsRejectedWithTheFix() {
        System.setProperty(Seeds.PROPERTY, "abc");
        assertThatThrownBy(Seeds::seedOrRandom).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'abc'").hasMessageContaining("-Dudpix.seed=123");
    }
}
