package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.crypto.KeyText;
import io.udpix.engine.crypto.StaticKeyPair;
import io.udpix.wire.ErrorCode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API's key options: the server's identity, pinning, trust on first use, allow lists. */
class KeyTrustTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temp;

    @Test
    void aServerReportsTheKeyItWasGiven() throws Exception {
        StaticKeyPair key = StaticKeyPair.generate(RANDOM);
        try (UdpixServer server = UdpixServer.builder().port(0).key(key).onBytes(item -> { }).start()) {
            assertThat(server.publicKey()).isEqualTo(key.publicKeyText());
            assertThat(server.fingerprint()).isEqualTo(key.fingerprint());
        }
    }

    @Test
    void aServerWithoutKeyOptionsGetsANewInMemoryKeyEachStart() throws Exception {
        String first;
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            first = server.fingerprint();
        }
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            assertThat(server.fingerprint()).startsWith(KeyText.FINGERPRINT_PREFIX).isNotEqualTo(first);
        }
    }

    @Test
    void aServerKeyFileIsCreatedOnFirstStartAndKeepsTheIdentityAcrossRestarts() throws Exception {
        Path file = temp.resolve("config/server.key");
        String first;
        try (UdpixServer server = UdpixServer.builder().port(0).keyFile(file).onBytes(item -> { }).start()) {
            first = server.fingerprint();
        }
        assertThat(file).exists();
        try (UdpixServer server = UdpixServer.builder().port(0).keyFile(file).onBytes(item -> { }).start()) {
            assertThat(server.fingerprint()).isEqualTo(first);
        }
    }

    @Test
    void badAllowListsAndPinsAreRefusedWhenGivenNamingTheEntry() {
        assertThatThrownBy(() -> UdpixServer.builder().allowKeys(List.of("nope")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
        assertThatThrownBy(() -> UdpixServer.builder().allow("10.0.0.0/8", "10.0.0.0/40"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'10.0.0.0/40'");
        assertThatThrownBy(() -> UdpixClient.builder(new InetSocketAddress("127.0.0.1", 9000)).serverKey("SHA256:x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'SHA256:x'");
    }

    @Test
    void keyRefusalsAreAuthenticationFailuresWithExitCode4BeforeOrAfterTheHandshake() {
        for (int code : new int[] {ErrorCode.SERVER_KEY_REJECTED, ErrorCode.UNAUTHORIZED}) {
            assertThat(UdpixException.kindOf(code, true)).isEqualTo(UdpixException.Kind.AUTHENTICATION);
            assertThat(UdpixException.kindOf(code, false)).isEqualTo(UdpixException.Kind.AUTHENTICATION);
        }
        assertThat(UdpixException.Kind.AUTHENTICATION.exitCode()).isEqualTo(4);
    }

    @Test
    void aClientPinningTheServersKeyDeliversAnItem() throws Exception {
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start();
             UdpixClient client = UdpixClient.builder(server.localAddresses().get(0))
                     .serverKey(server.fingerprint()).connect()) {
            assertThat(client.send(Item.bytes(new byte[] {1, 2, 3}, "pinned.bin")).sizeBytes()).isEqualTo(3);
        }
    }

    @Test
    void aClientPinningAnotherKeyIsRefusedNamingBothFingerprints() throws Exception {
        StaticKeyPair other = StaticKeyPair.generate(RANDOM);
        try (UdpixServer server = UdpixServer.builder().port(0).onBytes(item -> { }).start()) {
            assertThatThrownBy(() -> UdpixClient.builder(server.localAddresses().get(0))
                    .connectTimeout(Duration.ofSeconds(5)).serverKey(other.fingerprint()).connect())
                    .isInstanceOfSatisfying(UdpixException.class, e -> {
                        assertThat(e.kind()).isEqualTo(UdpixException.Kind.AUTHENTICATION);
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.SERVER_KEY_REJECTED);
                    })
                    .hasMessageContaining(other.fingerprint())
                    .hasMessageContaining(server.fingerprint());
        }
    }

    @Test
    void trustOnFirstUseRecordsTheServerThenRefusesItsChangedKey() throws Exception {
        Path known = temp.resolve("known_servers");
        StaticKeyPair first = StaticKeyPair.generate(RANDOM);
        InetSocketAddress address;
        try (UdpixServer server = UdpixServer.builder().port(0).key(first).onBytes(item -> { }).start();
             UdpixClient client = UdpixClient.builder(server.localAddresses().get(0)).knownServers(known)
                     .connect()) {
            address = server.localAddresses().get(0);
            assertThat(client.serverFingerprint()).contains(first.fingerprint());
            assertThat(client.trustNotice()).hasValueSatisfying(notice -> assertThat(notice)
                    .contains("trusting new server 127.0.0.1:" + address.getPort()).contains(first.fingerprint()));
        }
        assertThat(Files.readString(known)).contains(first.publicKeyText());
        StaticKeyPair second = StaticKeyPair.generate(RANDOM);
        try (UdpixServer server = UdpixServer.builder().port(address.getPort()).key(second).onBytes(item -> { })
                .start()) {
            assertThatThrownBy(() -> UdpixClient.builder(address).connectTimeout(Duration.ofSeconds(5))
                    .knownServers(known).connect())
                    .isInstanceOfSatisfying(UdpixException.class,
                            e -> assertThat(e.kind()).isEqualTo(UdpixException.Kind.AUTHENTICATION))
                    .hasMessageContaining("remove line 1 of " + known)
                    .hasMessageContaining("--server-key " + second.fingerprint());
        }
    }

    @Test
    void aServerWithAnAllowListAdmitsListedClientKeysOnly() throws Exception {
        StaticKeyPair alice = StaticKeyPair.generate(RANDOM);
        try (UdpixServer server = UdpixServer.builder().port(0).allowKeys(List.of(alice.fingerprint()))
                .onBytes(item -> { }).start()) {
            InetSocketAddress address = server.localAddresses().get(0);
            try (UdpixClient client = UdpixClient.builder(address).key(alice).connect()) {
                client.send(Item.bytes(new byte[] {1}, "alice.bin"));
            }
            // The client finishes its side of the handshake before the server's refusal arrives, so the refusal
            // may fail connect() or the first send: either way with the server's reason.
            assertThatThrownBy(() -> {
                try (UdpixClient stranger = UdpixClient.builder(address).connectTimeout(Duration.ofSeconds(5))
                        .connect()) {
                    stranger.send(Item.bytes(new byte[] {2}, "stranger.bin"));
                }
            })
                    .isInstanceOfSatisfying(UdpixException.class, e -> {
                        assertThat(e.kind()).isEqualTo(UdpixException.Kind.AUTHENTICATION);
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
                    })
                    .hasMessageContaining("allow list");
        }
    }
}
