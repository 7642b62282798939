package io.udpix.cli;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test starts without the shared test config's known_servers (registered for all tests of this module through
 * META-INF/services and junit-platform.properties). Tests start servers with fresh keys on ephemeral ports; a port
 * that an earlier test's server used, and whose key a send recorded on first use, made a later send on that port
 * refuse its new server as a possible interception (SendFolderTest in a CI run: exit 4, "line 27 of known_servers
 * records ..."). A test that checks trust on first use across runs keeps its own file (SendTrustTest).
 */
public final class FreshKnownServers implements BeforeEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        if (System.getProperty(ConfigDir.PROPERTY) != null) { // the build's test config, never a user's own file
            Files.deleteIfExists(ConfigDir.file(ConfigDir.KNOWN_SERVERS));
        }
    }
}
