package io.udpix.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.trust.KeyFile;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ConfigDir;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestConfigDir;
import io.udpix.engine.crypto.StaticKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code udpix serve}'s key options: the server's key, its fingerprint in the ready line, the allow lists. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServeKeysTest {

    @TempDir
    Path temp;

    @Test
    void createsTheServerKeyOnFirstUseSaysSoOnceAndPrintsItsFingerprintInTheReadyLine() throws Exception {
        Path config = temp.resolve("config");
        TestConfigDir.with(config, () -> {
            String first;
            try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString())) {
                StaticKeyPair key = KeyFile.read(config.resolve(ConfigDir.SERVER_KEY));
                first = key.fingerprint();
                assertThat(serve.out().lines().get(0)).startsWith("listening on 127.0.0.1:" + serve.ports().get(0)
                        + " (").contains("); key " + first + "; saving to ");
                assertThat(serve.err().lines()).singleElement().asString()
                        .contains("created the server key " + config.resolve(ConfigDir.SERVER_KEY))
                        .contains("--server-key " + first);
            }
            try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString())) {
                assertThat(serve.out().lines().get(0)).contains("; key " + first + ";");
                assertThat(serve.err().lines()).as("created only once").isEmpty();
            }
            return null;
        });
    }

    @Test
    void usesTheKeyFileGivenWithKey() throws Exception {
        Path file = temp.resolve("my.key");
        StaticKeyPair key = StaticKeyPair.generate(new SecureRandom());
        KeyFile.write(file, key, false);

        try (BackgroundServe serve = BackgroundServe.start("--port", "0", "--out", temp.resolve("r").toString(),
                "--key", file.toString())) {
            assertThat(serve.out().lines().get(0)).contains("; key " + key.fingerprint() + ";");
        }
    }

    @Test
    void aMissingOrGroupReadableKeyFileIsABadUsageNamingTheFix() throws Exception {
        Path missing = temp.resolve("nope.key");
        Cli.Result result = Cli.run("serve", "--port", "0", "--out", temp.toString(), "--key", missing.toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).singleElement().asString().contains("udpix keygen --out " + missing);

        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Path open = temp.resolve("open.key");
            KeyFile.write(open, StaticKeyPair.generate(new SecureRandom()), false);
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r-----"));
            Cli.Result refused = Cli.run("serve", "--port", "0", "--out", temp.toString(), "--key", open.toString());
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.BAD_USAGE);
            assertThat(refused.err()).singleElement().asString().contains("chmod 600 " + open);
        }
    }

    @Test
    void aBadAllowListEntryIsABadUsageNamingTheEntry() throws Exception {
        Cli.Result cidr = Cli.run("serve", "--port", "0", "--out", temp.toString(), "--allow",
                "127.0.0.1,10.0.0.0/99");
        assertThat(cidr.exitCode()).as(cidr.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(cidr.err()).singleElement().asString().contains("--allow").contains("'10.0.0.0/99'");

        Path keys = temp.resolve("allowed");
        Files.writeString(keys, "# ok\n" + StaticKeyPair.generate(new SecureRandom()).fingerprint() + "\nbogus\n");
        Cli.Result file = Cli.run("serve", "--port", "0", "--out", temp.toString(), "--allow-keys", keys.toString());
        assertThat(file.exitCode()).as(file.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(file.err()).singleElement().asString().contains(keys + " line 3").contains("'bogus'");

        Files.writeString(keys, "# nobody\n");
        Cli.Result empty = Cli.run("serve", "--port", "0", "--out", temp.toString(), "--allow-keys", keys.toString());
        assertThat(empty.exitCode()).as(empty.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(empty.err()).singleElement().asString().contains("lists no key");
    }

    @Test
    void keyOptionsAreRefusedInPlainModeWhichHasNoHandshake() {
        Cli.Result result = Cli.run("serve", "--plain", "--port", "0", "--out", temp.toString(), "--allow",
                "127.0.0.1");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).singleElement().asString().contains("native mode only");
    }
}
