package io.udpix.api.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.crypto.PeerKeyPolicy;
import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownServersTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 9000);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temp;

    @Test
    void acceptsAnUnknownServerFromMemoryAndRecordsItOnlyWhenAskedToOffTheIoThread() throws IOException {
        Path file = temp.resolve("config/known_servers");
        StaticKeyPair key = StaticKeyPair.generate(RANDOM);
        KnownServers known = KnownServers.load(file);

        assertThat(known.policy().check(SERVER, key.publicKey())).isNull();
        assertThat(file).as("the policy itself never touches the file").doesNotExist();

        List<KnownServers.Recorded> recorded = known.recordNew();

        assertThat(Files.readAllLines(file)).containsExactly("127.0.0.1:9000 " + key.publicKeyText());
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0).notice()).isEqualTo("trusting new server 127.0.0.1:9000 key "
                + key.fingerprint() + " (recorded in " + file + " line 1)");
        assertThat(known.recordNew()).as("nothing new the second time").isEmpty();
    }

    @Test
    void acceptsTheRecordedKeyAgainAfterReloadingWithoutRecordingItTwice() throws IOException {
        Path file = temp.resolve("known_servers");
        StaticKeyPair key = StaticKeyPair.generate(RANDOM);
        KnownServers first = KnownServers.load(file);
        first.policy().check(SERVER, key.publicKey());
        first.recordNew();

        KnownServers second = KnownServers.load(file);

        assertThat(second.policy().check(SERVER, key.publicKey())).isNull();
        assertThat(second.recordNew()).isEmpty();
        assertThat(Files.readAllLines(file)).hasSize(1);
    }

    @Test
    void refusesAChangedKeyNamingBothFingerprintsTheLineAndHowToAcceptIt() throws IOException {
        Path file = temp.resolve("known_servers");
        StaticKeyPair old = StaticKeyPair.generate(RANDOM);
        StaticKeyPair changed = StaticKeyPair.generate(RANDOM);
        Files.writeString(file, "# servers\n127.0.0.1:8000 " + StaticKeyPair.generate(RANDOM).publicKeyText()
                + "\n127.0.0.1:9000 " + old.publicKeyText() + "\n");

        String refusal = KnownServers.load(file).policy().check(SERVER, changed.publicKey());

        assertThat(refusal)
                .contains("127.0.0.1:9000")
                .contains(changed.fingerprint())
                .contains(old.fingerprint())
                .contains("remove line 3 of " + file)
                .contains("--server-key " + changed.fingerprint());
    }

    @Test
    void refusesASecondDifferentKeyForAServerFirstSeenInThisRun() {
        KnownServers known = loadEmpty();
        StaticKeyPair first = StaticKeyPair.generate(RANDOM);
        StaticKeyPair second = StaticKeyPair.generate(RANDOM);
        PeerKeyPolicy policy = known.policy();

        assertThat(policy.check(SERVER, first.publicKey())).isNull();
        assertThat(policy.check(SERVER, first.publicKey())).isNull();
        assertThat(policy.check(SERVER, second.publicKey())).contains(first.fingerprint())
                .contains(second.fingerprint());
    }

    @Test
    void aHandWrittenFingerprintLineIsMatchedAndServersAreKeptApartByPort() throws IOException {
        Path file = temp.resolve("known_servers");
        StaticKeyPair key = StaticKeyPair.generate(RANDOM);
        StaticKeyPair other = StaticKeyPair.generate(RANDOM);
        Files.writeString(file, "127.0.0.1:9000 " + key.fingerprint() + " added by hand\n");
        KnownServers known = KnownServers.load(file);

        assertThat(known.policy().check(SERVER, key.publicKey())).isNull();
        assertThat(known.policy().check(new InetSocketAddress("127.0.0.1", 9001), other.publicKey())).isNull();
        assertThat(known.policy().check(SERVER, other.publicKey())).contains("line 1 of " + file);
    }

    @Test
    void recordsIpv6ServersInBracketsAndAppendsAfterALastLineWithoutNewline() throws IOException {
        Path file = temp.resolve("known_servers");
        StaticKeyPair v4 = StaticKeyPair.generate(RANDOM);
        StaticKeyPair v6 = StaticKeyPair.generate(RANDOM);
        Files.writeString(file, "127.0.0.1:9000 " + v4.publicKeyText()); // No newline at the end.
        KnownServers known = KnownServers.load(file);
        InetSocketAddress server6 = new InetSocketAddress("::1", 9000);

        known.policy().check(server6, v6.publicKey());
        List<KnownServers.Recorded> recorded = known.recordNew();

        assertThat(Files.readAllLines(file)).hasSize(2);
        assertThat(recorded.get(0).line()).isEqualTo(2);
        KnownServers reloaded = KnownServers.load(file);
        assertThat(reloaded.policy().check(server6, v6.publicKey())).isNull();
        assertThat(reloaded.policy().check(SERVER, v4.publicKey())).isNull();
        assertThat(reloaded.policy().check(server6, v4.publicKey())).contains("line 2 of");
    }

    @Test
    void aBadLineIsAnErrorNamingTheFileAndTheLine() throws IOException {
        Path file = temp.resolve("known_servers");
        for (String bad : new String[] {"localhost:9000 " + StaticKeyPair.generate(RANDOM).publicKeyText(),
                "127.0.0.1:9000", "127.0.0.1:99999 " + StaticKeyPair.generate(RANDOM).publicKeyText(),
                "127.0.0.1:9000 not-a-key", "::1:9000 " + StaticKeyPair.generate(RANDOM).publicKeyText()}) {
            Files.writeString(file, "# ok\n" + bad + "\n");
            assertThatThrownBy(() -> KnownServers.load(file)).as(bad)
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining(file + " line 2");
        }
    }

    @Test
    void manyClientsInOneProgramRecordIntoTheSameFileAtOnceWithoutLosingALine() throws Exception {
        Path file = temp.resolve("known_servers");
        int clients = 16;
        List<StaticKeyPair> keys = new java.util.ArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.concurrent.ConcurrentLinkedQueue<Throwable> failures = new java.util.concurrent
                .ConcurrentLinkedQueue<>();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int i = 0; i < clients; i++) {
            StaticKeyPair key = StaticKeyPair.generate(RANDOM);
            keys.add(key);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", 10_000 + i);
            KnownServers known = KnownServers.load(file); // One list per client, as separate sends have.
            known.policy().check(server, key.publicKey());
            threads.add(new Thread(() -> {
                try {
                    start.await();
                    known.recordNew();
                } catch (Throwable t) {
                    failures.add(t);
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }

        assertThat(failures).isEmpty();
        assertThat(Files.readAllLines(file)).hasSize(clients);
        KnownServers reloaded = KnownServers.load(file);
        for (int i = 0; i < clients; i++) {
            assertThat(reloaded.policy().check(new InetSocketAddress("127.0.0.1", 10_000 + i),
                    keys.get(i).publicKey())).isNull();
        }
    }

    private KnownServers loadEmpty() {
        try {
            return KnownServers.load(temp.resolve("none"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
