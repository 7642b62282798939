package io.udpix.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's man page sources and bash completion come from the real command model: every command has a
 * page, and {@code --driver} offers the drivers present (epoll is on this class path) and never io_uring. The troff
 * step (AsciidoctorJ) runs in the package phase and is checked by .ci/dist-check.
 */
class DistDocsTest {

    @Test
    void writesAManPageForTheCommandAndEachSubcommand(@TempDir Path dir) throws Exception {
        Path adoc = DistDocs.writeManPageSources(DistDocs.commandLine(), dir.resolve("man-adoc"));

        for (String page : new String[] {"udpix", "udpix-demo", "udpix-serve", "udpix-send", "udpix-stream",
                "udpix-keygen", "udpix-consume"}) {
            assertThat(adoc.resolve(page + ".adoc")).as(page).exists();
        }
        String send = Files.readString(adoc.resolve("udpix-send.adoc"));
        assertThat(send).contains("= udpix-send(1)", "*--to*=_HOST:PORT_", "one of: auto, nio, epoll");
        assertThat(send).doesNotContain("io_uring");
        // The top page documents the config file and variables (the command's footer).
        assertThat(Files.readString(adoc.resolve("udpix.adoc"))).contains("udpix.properties", "UDPIX_SERVE_PORT");
    }

    @Test
    void completesCommandsOptionsAndOnlyThePresentDrivers(@TempDir Path dir) throws Exception {
        String script = Files.readString(DistDocs.writeCompletion(DistDocs.commandLine(), dir));

        assertThat(script).contains("complete -F _complete_udpix", "'--to'", "'--port'", "serve", "send");
        assertThat(script).contains("(\"auto\" \"nio\" \"epoll\") # --driver values");
        assertThat(script).doesNotContain("io_uring");
    }
}
