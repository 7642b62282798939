package io.udpix.cli.keygen;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.trust.KeyFile;
import io.udpix.cli.Cli;
import io.udpix.cli.ConfigDir;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.TestConfigDir;
import io.udpix.engine.crypto.StaticKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {

    @TempDir
    Path temp;

    @Test
    void writesAnOwnerOnlyKeyFileAndPrintsItsPublicKeyAndFingerprint() throws Exception {
        Path file = temp.resolve("alice.key");

        Cli.Result result = Cli.run("keygen", "--out", file.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        StaticKeyPair key = KeyFile.read(file);
        assertThat(result.out()).containsExactly(
                "wrote the private key to " + file + " (keep it secret)",
                "public key: " + key.publicKeyText(),
                "fingerprint: " + key.fingerprint());
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    @Test
    void refusesToReplaceAnExistingKeyWithoutForce() throws Exception {
        Path file = temp.resolve("alice.key");
        assertThat(Cli.run("keygen", "--out", file.toString()).exitCode()).isZero();
        StaticKeyPair first = KeyFile.read(file);

        Cli.Result again = Cli.run("keygen", "--out", file.toString());

        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(again.err()).singleElement().asString().contains("already exists").contains("--force");
        assertThat(KeyFile.read(file)).isEqualTo(first);

        Cli.Result forced = Cli.run("keygen", "--out", file.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(KeyFile.read(file)).isNotEqualTo(first);
    }

    @Test
    void writesTheClientKeyInTheConfigDirectoryByDefault() throws Exception {
        Path config = temp.resolve("config");

        Cli.Result result = TestConfigDir.with(config, () -> Cli.run("keygen"));

        assertThat(result.exitCode()).as(result.toString()).isZero();
        Path file = config.resolve(ConfigDir.CLIENT_KEY);
        assertThat(result.out()).contains("fingerprint: " + KeyFile.read(file).fingerprint());
    }

    @Test
    void isListedInTheTopLevelHelp() {
        Cli.Result help = Cli.run("--help");
        assertThat(help.outText()).contains("keygen").contains("4").contains("a key was refused");
    }
}
