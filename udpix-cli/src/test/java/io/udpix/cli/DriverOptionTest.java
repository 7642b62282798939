package io.udpix.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --driver} offers only the drivers present: auto, nio and (its module is on this class path) epoll. */
class DriverOptionTest {

    @Test
    void helpListsOnlyTheDriversPresentAndNeverIoUring() {
        Cli.Result result = Cli.run("send", "--help");

        String help = result.outText().replaceAll("\\s+", " ");
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(help).contains("How UDP is driven, one of: auto, nio, epoll.");
        assertThat(help).doesNotContain("io_uring");
    }

    @Test
    void anIoUringDriverIsABadUsageThatListsWhatExists(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.txt"), "a");

        Cli.Result result = Cli.run("send", file.toString(), "--to", "127.0.0.1:9", "--driver", "io_uring");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).anySatisfy(line -> assertThat(line)
                .contains("unknown driver 'io_uring'; use one of auto, nio, epoll"));
    }
}
