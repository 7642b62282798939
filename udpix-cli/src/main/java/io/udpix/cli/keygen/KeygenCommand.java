package io.udpix.cli.keygen;

import io.udpix.api.trust.KeyFile;
import io.udpix.cli.CliException;
import io.udpix.cli.ConfigDir;
import io.udpix.cli.ExitCodes;
import io.udpix.cli.UdpixCommand;
import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code udpix keygen}: writes a new private key file and prints its public key and fingerprint. */
@Command(
        name = "keygen",
        description = {
            "Make a client or server key; print its fingerprint.",
            "",
            "A client key lets a server admit this client by name (`serve --allow-keys FILE` lists the public "
                    + "keys it admits); `send` uses CONFIG/client.key when it exists, or --key FILE. A server key "
                    + "(`serve --key FILE`) is its identity; by default `serve` creates CONFIG/server.key on "
                    + "first use. CONFIG is $UDPIX_CONFIG_DIR, else $XDG_CONFIG_HOME/udpix, else ~/.config/udpix.",
        },
        sortOptions = false)
public final class KeygenCommand implements Callable<Integer> {

    @ParentCommand
    private UdpixCommand parent;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Where to write the private key. Default: CONFIG/client.key.")
    private Path out;

    @Option(names = "--force",
            description = "Replace FILE if it exists (whoever trusted the old key will refuse the new one).")
    private boolean force;

    @Override
    public Integer call() {
        Path file = out != null ? out : ConfigDir.file(ConfigDir.CLIENT_KEY);
        if (Files.isDirectory(file)) {
            throw CliException.badUsage(file + " is a directory; give a file name, e.g. --out " + file
                    .resolve("udpix.key"));
        }
        StaticKeyPair key = StaticKeyPair.generate(new SecureRandom());
        try {
            KeyFile.write(file, key, force);
        } catch (FileAlreadyExistsException e) {
            throw CliException.badUsage(file + " already exists; add --force to replace it (servers or clients "
                    + "that trust its key will then refuse the new one), or choose another --out FILE");
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_USAGE, "cannot write " + file + ": " + e.getMessage(), e);
        }
        parent.out().println("wrote the private key to " + file + " (keep it secret)");
        parent.out().println("public key: " + key.publicKeyText());
        parent.out().println("fingerprint: " + key.fingerprint());
        return ExitCodes.OK;
    }
}
