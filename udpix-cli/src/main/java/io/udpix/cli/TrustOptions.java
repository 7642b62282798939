package io.udpix.cli;

import io.udpix.api.trust.AllowedKeys;
import io.udpix.api.trust.KeyFile;
import io.udpix.api.trust.KnownServers;
import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --server-key}, {@code --known-servers}, {@code --no-known-servers} and {@code --key}: how a client
 * command checks the server's key and which key it shows; mixed into {@code send} and {@code stream}.
 */
public final class TrustOptions {

    @Option(names = "--server-key", paramLabel = "KEY",
            description = "Accept only this server key: its fingerprint (SHA256:..., printed by `udpix serve`) "
                    + "or Base64 public key. A different key fails (exit 4).")
    private String serverKey;

    @Option(names = "--known-servers", paramLabel = "FILE",
            description = "Trust on first use with FILE (a line per HOST:PORT KEY). Default: "
                    + "CONFIG/known_servers.")
    private Path knownServersFile;

    @Option(names = "--no-known-servers",
            description = "Accept any server key and record nothing: encrypted, but not proof of who answers.")
    private boolean noKnownServers;

    @Option(names = "--key", paramLabel = "FILE",
            description = "This client's private key, for servers with --allow-keys (make one with `udpix "
                    + "keygen`). Default: CONFIG/client.key if it exists, else a new key for each run.")
    private Path keyFile;

    /** True when any of these options was given. */
    public boolean anyGiven() {
        return serverKey != null || knownServersFile != null || noKnownServers || keyFile != null;
    }

    /**
     * Checks the options against each other (before anything starts).
     *
     * @throws CliException (bad usage) naming the conflict or the bad key
     */
    public void check() {
        if ((serverKey != null ? 1 : 0) + (knownServersFile != null ? 1 : 0) + (noKnownServers ? 1 : 0) > 1) {
            throw CliException.badUsage("give only one of --server-key, --known-servers and --no-known-servers");
        }
        if (serverKey != null) {
            try {
                AllowedKeys.of(List.of(serverKey));
            } catch (IllegalArgumentException e) {
                throw CliException.badUsage("--server-key: " + e.getMessage());
            }
        }
    }

    /**
     * Reads the key and known-servers files (here, never on an I/O thread).
     *
     * @throws CliException (bad usage) naming the file and the fix
     */
    public ClientTrust resolve() {
        StaticKeyPair clientKey = null;
        Path keyPath = keyFile != null ? keyFile : ConfigDir.file(ConfigDir.CLIENT_KEY);
        if (keyFile != null || Files.exists(keyPath)) {
            try {
                clientKey = KeyFile.read(keyPath);
            } catch (java.nio.file.NoSuchFileException e) {
                throw CliException.badUsage("--key " + keyPath + ": no such file; make one with `udpix keygen "
                        + "--out " + keyPath + "`");
            } catch (IOException e) {
                throw CliException.badUsage((keyFile != null ? "--key " : "") + e.getMessage());
            }
        }
        if (serverKey != null || noKnownServers) {
            return new ClientTrust(serverKey, null, clientKey);
        }
        Path file = knownServersFile != null ? knownServersFile : ConfigDir.file(ConfigDir.KNOWN_SERVERS);
        try {
            return new ClientTrust(null, KnownServers.load(file), clientKey);
        } catch (IOException e) {
            throw CliException.badUsage("cannot use the known-servers file: " + e.getMessage());
        }
    }
}
