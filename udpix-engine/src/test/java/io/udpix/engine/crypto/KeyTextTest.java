package io.udpix.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyTextTest {
    // RFC 7748 section 6.1: Alice's private key and the public key it gives.
    private static final byte[] ALICE_PRIVATE =
            HexFormat.of().parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    private static final byte[] ALICE_PUBLIC =
            HexFormat.of().parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    @Test
    void derivesThePublicKeyOfRfc7748sTestVector() {
        StaticKeyPair k = StaticKeyPair.fromPrivateKey(ALICE_PRIVATE);
        assertThat(k.publicKey()).isEqualTo(ALICE_PUBLIC);
    }

    @Test
    void aKeyRoundTripsThroughItsTextAndMatchesItsFingerprint() {
        StaticKeyPair k = StaticKeyPair.generate(new SecureRandom());
        assertThat(KeyText.parsePublicKey(k.publicKeyText())).isEqualTo(k.publicKey());
        assertThat(k.publicKeyText()).hasSize(44);
        assertThat(KeyText.matches(k.fingerprint(), k.publicKey())).isTrue();
        assertThat(KeyText.matches(k.publicKeyText(), k.publicKey())).isTrue();
        StaticKeyPair other = StaticKeyPair.generate(new SecureRandom());
        assertThat(KeyText.matches(other.fingerprint(), k.publicKey())).isFalse();
        assertThat(KeyText.matches("garbage", k.publicKey())).isFalse();
    }

    @Test
    void refusesTextThatIsNotAKeyWithAReason() {
        assertThatThrownBy(() -> KeyText.parsePublicKey("AAAA")).hasMessageContaining("3 bytes");
        assertThatThrownBy(() -> KeyText.parsePublicKey("SHA256:abc")).hasMessageContaining("fingerprint");
        assertThatThrownBy(() -> KeyText.parsePublicKey("!!")).hasMessageContaining("not a Base64 key");
    }

    @Test
    void neverPrintsThePrivateKey() {
        StaticKeyPair k = StaticKeyPair.fromPrivateKey(ALICE_PRIVATE);
        assertThat(k.toString()).startsWith("StaticKeyPair[SHA256:").doesNotContain(k.publicKeyText());
    }
}
