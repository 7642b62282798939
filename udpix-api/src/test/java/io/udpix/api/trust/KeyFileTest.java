package io.udpix.api.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

    @TempDir
    Path temp;

    @Test
    void aWrittenKeyReadsBackAsTheSameKeyPair() throws IOException {
        StaticKeyPair key = StaticKeyPair.generate(new SecureRandom());
        Path file = temp.resolve("sub/dir/server.key");

        KeyFile.write(file, key, false);

        StaticKeyPair read = KeyFile.read(file);
        assertThat(read.privateKey()).isEqualTo(key.privateKey());
        assertThat(read.fingerprint()).isEqualTo(key.fingerprint());
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertThat(lines.get(0)).isEqualTo(KeyFile.HEADER);
        assertThat(String.join("\n", lines)).contains(key.publicKeyText()).contains(key.fingerprint());
    }

    @Test
    void writesTheKeyOwnerOnlyAndItsNewDirectoryOwnerOnlyLeavingNoTemporaryFile() throws IOException {
        assumePosix();
        Path dir = temp.resolve("config");
        Path file = dir.resolve("client.key");

        KeyFile.write(file, StaticKeyPair.generate(new SecureRandom()), false);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void refusesAKeyFileThatOtherUsersMayReadNamingTheChmodFix() throws IOException {
        assumePosix();
        Path file = temp.resolve("server.key");
        KeyFile.write(file, StaticKeyPair.generate(new SecureRandom()), false);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> KeyFile.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600 " + file);
    }

    @Test
    void doesNotReplaceAnExistingKeyUnlessAskedTo() throws IOException {
        Path file = temp.resolve("k.key");
        StaticKeyPair first = StaticKeyPair.generate(new SecureRandom());
        StaticKeyPair second = StaticKeyPair.generate(new SecureRandom());
        KeyFile.write(file, first, false);

        assertThatThrownBy(() -> KeyFile.write(file, second, false)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(KeyFile.read(file)).isEqualTo(first);

        KeyFile.write(file, second, true);
        assertThat(KeyFile.read(file)).isEqualTo(second);
    }

    @Test
    void readOrCreateCreatesTheKeyOnceThenKeepsReadingIt() throws IOException {
        Path file = temp.resolve("server.key");

        KeyFile.Loaded created = KeyFile.readOrCreate(file, new SecureRandom());
        KeyFile.Loaded again = KeyFile.readOrCreate(file, new SecureRandom());

        assertThat(created.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.key()).isEqualTo(created.key());
    }

    @Test
    void refusesAFileThatIsNotAUdpixKeyFileSayingWhatItExpected() throws IOException {
        Path file = temp.resolve("id_rsa");
        Files.writeString(file, "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n");
        restrict(file);
        assertThatThrownBy(() -> KeyFile.read(file)).hasMessageContaining(KeyFile.HEADER)
                .hasMessageContaining("udpix keygen");

        Files.writeString(file, KeyFile.HEADER + "\nAAAA\n");
        assertThatThrownBy(() -> KeyFile.read(file)).hasMessageContaining("3 bytes");

        Files.writeString(file, KeyFile.HEADER + "\n");
        assertThatThrownBy(() -> KeyFile.read(file)).hasMessageContaining("holds no key");
    }

    private static void restrict(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    private void assumePosix() {
        assumeTrue(temp.getFileSystem().supportedFileAttributeViews().contains("posix"), "POSIX permissions");
    }
}
