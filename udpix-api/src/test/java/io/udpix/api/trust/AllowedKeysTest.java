package io.udpix.api.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedKeysTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temp;

    @Test
    void admitsKeysListedByPublicKeyOrByFingerprintAndRefusesOthersNamingTheirFingerprint() {
        StaticKeyPair byKey = StaticKeyPair.generate(RANDOM);
        StaticKeyPair byFingerprint = StaticKeyPair.generate(RANDOM);
        StaticKeyPair stranger = StaticKeyPair.generate(RANDOM);
        AllowedKeys allowed = AllowedKeys.of(List.of(byKey.publicKeyText(), byFingerprint.fingerprint()));

        assertThat(allowed.check(PEER, byKey.publicKey())).isNull();
        assertThat(allowed.check(PEER, byFingerprint.publicKey())).isNull();
        assertThat(allowed.check(PEER, stranger.publicKey()))
                .contains(stranger.fingerprint())
                .contains("allow list")
                .contains("--key");
        assertThat(allowed.size()).isEqualTo(2);
    }

    @Test
    void readsOneEntryPerLineSkippingCommentsBlankLinesAndNames() throws IOException {
        StaticKeyPair alice = StaticKeyPair.generate(RANDOM);
        StaticKeyPair bob = StaticKeyPair.generate(RANDOM);
        Path file = temp.resolve("allowed");
        Files.writeString(file, "# clients\n\n" + alice.publicKeyText() + " alice's laptop\n  " + bob.fingerprint()
                + "\n");

        List<String> entries = AllowedKeys.readEntries(file);

        assertThat(entries).containsExactly(alice.publicKeyText(), bob.fingerprint());
        assertThat(AllowedKeys.of(entries).check(PEER, bob.publicKey())).isNull();
    }

    @Test
    void aBadLineIsAnErrorNamingTheFileAndTheLine() throws IOException {
        Path file = temp.resolve("allowed");
        Files.writeString(file, StaticKeyPair.generate(RANDOM).publicKeyText() + "\nnot-a-key\n");

        assertThatThrownBy(() -> AllowedKeys.readEntries(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file + " line 2")
                .hasMessageContaining("'not-a-key'");
    }

    @Test
    void refusesAFingerprintOfTheWrongLength() {
        assertThatThrownBy(() -> AllowedKeys.of(List.of("SHA256:abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'SHA256:abc'")
                .hasMessageContaining("43");
    }
}
