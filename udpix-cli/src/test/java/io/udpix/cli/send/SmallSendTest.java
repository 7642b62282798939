package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.Item;
import io.udpix.cli.convert.HostPort;
import io.udpix.driver.Drivers;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which sends count as small (NIO for {@code auto}, no crypto warm-up): start-up matters more than bulk speed. */
class SmallSendTest {
    @TempDir
    Path temp;

    @Test
    void oneImageIsSmallAndRunsOnNioWhenAutoIsAsked() {
        List<Item> items = List.of(Item.bytes(new byte[32 * 1024], "cat.jpg"));

        assertThat(NativeSend.isSmall(items, settings(1))).isTrue();
        // Without -Dudpix.driver (CI's per-driver passes set it; the next tests cover that case).
        withDriverProperty(null, () -> assertThat(NativeSend.driverFor("auto", true)).isEqualTo("nio"));
    }

    @Test
    void aFileOfSixtyFourMebibytesOrManyRepeatsOrAnEndlessSendIsNotSmall() throws Exception {
        Path big = sparse("big.bin", NativeSend.SMALL_SEND_BYTES);
        Item oneMebibyte = Item.bytes(new byte[1 << 20], "one.bin");

        assertThat(NativeSend.isSmall(List.of(Item.file(big)), settings(1))).isFalse();
        assertThat(NativeSend.isSmall(List.of(oneMebibyte), settings(64))).isFalse();
        assertThat(NativeSend.isSmall(List.of(oneMebibyte), settings(63))).isTrue();
        assertThat(NativeSend.isSmall(List.of(oneMebibyte), settings(0))).as("--repeat 0: until stopped").isFalse();
        assertThat(NativeSend.isSmall(List.of(oneMebibyte), settings(Long.MAX_VALUE))).as("no overflow").isFalse();
        assertThat(NativeSend.isSmall(List.of(Item.bytes(new byte[0], "empty")), settings(Long.MAX_VALUE)))
                .isFalse();
    }

    @Test
    void aDriverTheUserNamedIsKeptAndABulkSendKeepsAuto() {
        assertThat(NativeSend.driverFor("epoll", true)).isEqualTo("epoll");
        assertThat(NativeSend.driverFor("nio", true)).isEqualTo("nio");
        assertThat(NativeSend.driverFor("auto", false)).isEqualTo("auto");
    }

    @Test
    void theDriverPropertyStillOverridesAutoForASmallSend() {
        withDriverProperty("epoll", () -> assertThat(NativeSend.driverFor("auto", true))
                .as("CI runs every test once per driver").isEqualTo("auto"));
    }

    /** Runs {@code check} with -Dudpix.driver set to {@code value} (cleared when null), then restores it. */
    private static void withDriverProperty(String value, Runnable check) {
        String before = System.getProperty(Drivers.PROPERTY);
        if (value == null) {
            System.clearProperty(Drivers.PROPERTY);
        } else {
            System.setProperty(Drivers.PROPERTY, value);
        }
        try {
            check.run();
        } finally {
            if (before == null) {
                System.clearProperty(Drivers.PROPERTY);
            } else {
                System.setProperty(Drivers.PROPERTY, before);
            }
        }
    }

    private Path sparse(String name, long lengthBytes) throws Exception {
        Path file = temp.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(lengthBytes);
        }
        return file;
    }

    private static SendSettings settings(long repeat) {
        return new SendSettings(new HostPort("127.0.0.1", 9), repeat, Duration.ZERO, Duration.ofSeconds(10), "auto",
                "8le", 0, false, Duration.ofSeconds(2), null);
    }
}
