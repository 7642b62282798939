package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jackson is optional in udpix-api: a JVM whose class path is this module's test class path minus every Jackson
 * jar sends and receives an image and a JSON text item (a request, with metadata) over loopback ({@link NoJacksonMain}).
 */
class NoJacksonClassPathTest {

    @Test
    void sendingAndReceivingAnImageAndJsonTextWorksWithoutJackson(@TempDir Path out) throws Exception {
        List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        String withoutJackson = entries.stream().filter(e -> !e.contains("jackson"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(entries).as("the surefire class path has Jackson to take away").anyMatch(e -> e.contains("jackson"));

        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process p = new ProcessBuilder(java, "-Djava.awt.headless=true", "-cp", withoutJackson,
                NoJacksonMain.class.getName(), out.toString()).redirectErrorStream(true).start();
        boolean ended = p.waitFor(90, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output).contains("no Jackson on the class path", "image received and decoded",
                "request answered",
                "JSON logged in messages.jsonl with its metadata", "Item.json(Object) names the dependency", "NO-JACKSON OK");
    }
}
