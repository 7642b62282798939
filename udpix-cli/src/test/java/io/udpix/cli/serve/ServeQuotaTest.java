package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve --max-total} through the real command line, {@code udpix send} as the client. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServeQuotaTest {
    @TempDir
    Path temp;

    @Test
    void refusesAnItemBeyondMaxTotalAndTheSenderExitsOneSayingTheReceiverIsOutOfSpace() throws Exception {
        Path dir = temp.resolve("received");
        Path small = Files.write(temp.resolve("small.bin"), new byte[3_000]);
        Path big = Files.write(temp.resolve("big.bin"), new byte[20_000]);
        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", dir.toString(),
                "--max-total", "16KiB")) {
            Cli.Result fits = Cli.run("send", small.toString(), "--to", serve.address(0));
            Cli.Result over = Cli.run("send", big.toString(), "--to", serve.address(0));

            assertThat(fits.exitCode()).as(fits.toString()).isZero();
            assertThat(over.exitCode()).as(over.toString()).isEqualTo(ExitCodes.TRANSFER_FAILED);
            assertThat(String.join("\n", over.err())).as(over.toString())
                    .contains("the receiver is out of space").contains("item 19.5 KiB")
                    .contains("ask its operator to free space or raise --max-total");
            assertThat(serve.stop().exitCode()).isZero();
        }
        assertThat(dir.resolve("small.bin")).exists();
        assertThat(dir.resolve("big.bin")).doesNotExist();
    }

    @Test
    void maxTotalIsForNativeModeOnly() {
        Cli.Result result = Cli.run("serve", "--port", "0", "--plain", "--max-total", "1GiB", "--out",
                temp.resolve("r").toString());

        ServeCommandTest.assertBadUsage(result, "--max-total applies to native mode only");
    }
}
