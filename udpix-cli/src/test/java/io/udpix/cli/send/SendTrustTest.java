package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.api.trust.KeyFile;
import io.udpix.cli.BackgroundServe;
import io.udpix.cli.Cli;
import io.udpix.cli.ExitCodes;
import io.udpix.engine.crypto.StaticKeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code udpix send} against {@code udpix serve} with keys: pinning, trust on first use, allow lists; and the
 * options' usage errors. Every server here has a key of its own ({@code --key}) and every client its own
 * known-servers file, so nothing depends on the shared test config directory.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SendTrustTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temp;

    @Test
    void badTrustOptionsAreUsageErrorsBeforeAnythingIsSent() throws Exception {
        assertBadUsage(Cli.run("send", "--json", "1", "--to", "127.0.0.1:9", "--server-key", "SHA256:short"),
                "'SHA256:short'");
        assertBadUsage(Cli.run("send", "--json", "1", "--to", "127.0.0.1:9", "--server-key",
                StaticKeyPair.generate(RANDOM).fingerprint(), "--no-known-servers"), "only one of");
        assertBadUsage(Cli.run("send", "--json", "1", "--to", "127.0.0.1:9", "--key",
                temp.resolve("none.key").toString()), "udpix keygen --out");
        assertBadUsage(Cli.run("send", "--plain", "--json", "[1]", "--to", "127.0.0.1:9", "--server-key",
                StaticKeyPair.generate(RANDOM).fingerprint()), "native mode only");
        Path known = temp.resolve("known_servers");
        Files.writeString(known, "127.0.0.1:9000 " + StaticKeyPair.generate(RANDOM).publicKeyText() + "\nnonsense\n");
        assertBadUsage(Cli.run("send", "--json", "1", "--to", "127.0.0.1:9", "--known-servers", known.toString()),
                known + " line 2");
    }

    @Test
    void aSendPinningTheServersFingerprintExitsZero() throws Exception {
        StaticKeyPair serverKey = key("server.key");
        try (BackgroundServe serve = serve("--key", temp.resolve("server.key").toString())) {
            Cli.Result sent = Cli.run("send", "--json", "{\"a\": 1}", "--to", serve.address(0), "--server-key",
                    serverKey.fingerprint());
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
        }
    }

    @Test
    void aClientWhoseKeyIsOnTheAllowListAndWhoseAddressIsAllowedExitsZero() throws Exception {
        StaticKeyPair client = key("client.key");
        Path allowed = temp.resolve("allowed");
        Files.writeString(allowed, client.publicKeyText() + " the test client\n");
        try (BackgroundServe serve = serve("--allow-keys", allowed.toString(), "--allow", "127.0.0.0/8,::1")) {
            Cli.Result sent = Cli.run("send", "--json", "1", "--to", serve.address(0), "--key",
                    temp.resolve("client.key").toString(), "--known-servers", temp.resolve("known").toString());
            assertThat(sent.exitCode()).as(sent.toString()).isZero();
        }
    }

    @Test
    void aSendPinningAnotherKeyExitsFourNamingBothFingerprints() throws Exception {
        StaticKeyPair serverKey = key("server.key");
        String wrong = StaticKeyPair.generate(RANDOM).fingerprint();
        try (BackgroundServe serve = serve("--key", temp.resolve("server.key").toString())) {
            Cli.Result sent = Cli.run("send", "--json", "1", "--to", serve.address(0), "--server-key", wrong,
                    "--connect-timeout", "5s");
            assertThat(sent.exitCode()).as(sent.toString()).isEqualTo(ExitCodes.AUTHENTICATION);
            assertThat(sent.err()).singleElement().asString().contains(wrong).contains(serverKey.fingerprint());
        }
    }

    @Test
    void trustsANewServerOnFirstUseRecordsItAndSaysSoOnceThenAcceptsItQuietly() throws Exception {
        StaticKeyPair serverKey = key("server.key");
        Path known = temp.resolve("known_servers");
        try (BackgroundServe serve = serve("--key", temp.resolve("server.key").toString())) {
            Cli.Result first = Cli.run("send", "--json", "1", "--to", serve.address(0), "--known-servers",
                    known.toString());
            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.err()).containsExactly("udpix: trusting new server " + serve.address(0) + " key "
                    + serverKey.fingerprint() + " (recorded in " + known + " line 1)");
            assertThat(Files.readAllLines(known)).containsExactly(serve.address(0) + " "
                    + serverKey.publicKeyText());

            Cli.Result second = Cli.run("send", "--json", "2", "--to", serve.address(0), "--known-servers",
                    known.toString());
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.err()).isEmpty();
        }
    }

    @Test
    void refusesAServerWhoseKeyChangedWithExitFourAndSaysHowToAcceptIt() throws Exception {
        StaticKeyPair serverKey = key("server.key");
        StaticKeyPair recorded = StaticKeyPair.generate(RANDOM);
        Path known = temp.resolve("known_servers");
        try (BackgroundServe serve = serve("--key", temp.resolve("server.key").toString())) {
            Files.writeString(known, "# first line\n" + serve.address(0) + " " + recorded.publicKeyText() + "\n");
            Cli.Result sent = Cli.run("send", "--json", "1", "--to", serve.address(0), "--known-servers",
                    known.toString(), "--connect-timeout", "5s");
            assertThat(sent.exitCode()).as(sent.toString()).isEqualTo(ExitCodes.AUTHENTICATION);
            assertThat(sent.err()).singleElement().asString()
                    .contains(recorded.fingerprint())
                    .contains(serverKey.fingerprint())
                    .contains("remove line 2 of " + known)
                    .contains("--server-key " + serverKey.fingerprint());
        }
    }

    @Test
    void aClientNotOnTheAllowListExitsFourWithTheServersReason() throws Exception {
        StaticKeyPair admitted = StaticKeyPair.generate(RANDOM);
        StaticKeyPair client = key("client.key");
        Path allowed = temp.resolve("allowed");
        Files.writeString(allowed, admitted.fingerprint() + "\n");
        try (BackgroundServe serve = serve("--allow-keys", allowed.toString())) {
            Cli.Result sent = Cli.run("send", "--json", "1", "--to", serve.address(0), "--key",
                    temp.resolve("client.key").toString(), "--no-known-servers", "--connect-timeout", "5s");
            assertThat(sent.exitCode()).as(sent.toString()).isEqualTo(ExitCodes.AUTHENTICATION);
            assertThat(sent.err()).singleElement().asString().contains("allow list").contains(client.fingerprint());
        }
    }

    @Test
    void aClientOutsideTheAllowedAddressesIsRefusedWithExitFour() throws Exception {
        Path dir = temp.resolve("received");
        try (BackgroundServe serve = serve("--allow", "10.0.0.0/8")) {
            Cli.Result sent = Cli.run("send", "--json", "1", "--to", serve.address(0), "--no-known-servers",
                    "--connect-timeout", "5s");
            // The engine answers a HELLO from outside the ranges with a RESET (UNAUTHORIZED), before any key work.
            assertThat(sent.exitCode()).as(sent.toString()).isEqualTo(ExitCodes.AUTHENTICATION);
            assertThat(sent.err()).singleElement().asString().contains("does not admit");
        }
        Path messages = dir.resolve("messages.jsonl");
        assertThat(Files.exists(messages) ? Files.size(messages) : 0L).as("nothing stored").isZero();
    }

    private BackgroundServe serve(String... keyArgs) throws InterruptedException {
        String[] args = new String[keyArgs.length + 4];
        args[0] = "--port";
        args[1] = "0";
        args[2] = "--out";
        args[3] = temp.resolve("received").toString();
        System.arraycopy(keyArgs, 0, args, 4, keyArgs.length);
        return BackgroundServe.start(args);
    }

    private StaticKeyPair key(String name) throws Exception {
        StaticKeyPair key = StaticKeyPair.generate(RANDOM);
        KeyFile.write(temp.resolve(name), key, false);
        return key;
    }

    private static void assertBadUsage(Cli.Result result, String expected) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.BAD_USAGE);
        assertThat(result.err()).singleElement().asString().contains(expected);
    }
}
