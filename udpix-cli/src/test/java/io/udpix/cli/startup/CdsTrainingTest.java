package io.udpix.cli.startup;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.cli.ConfigDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's class-data sharing workload: serve and send over loopback work, and the archive it makes is used. */
class CdsTrainingTest {
    @TempDir
    Path temp;

    @Test
    void theWorkloadServesAndSendsInItsOwnDirectoryAndLeavesTheConfigDirectoryAlone() throws Exception {
        String configBefore = System.getProperty(ConfigDir.PROPERTY);

        assertThat(CdsTraining.run(temp)).isZero();

        assertThat(System.getProperty(ConfigDir.PROPERTY)).isEqualTo(configBefore);
        assertThat(temp.resolve("config/server.key")).exists();
        assertThat(temp.resolve("config/known_servers")).exists();
        assertThat(temp.resolve("received/training.jpg")).exists();
        assertThat(temp.resolve("received/messages.jsonl")).content().contains("\"training\"");
    }

    @Test
    void anArchiveMadeFromTheWorkloadIsAcceptedByALaterJvmAndHoldsTheSendPath() throws Exception {
        Path archive = temp.resolve("udpix.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = jarsOnly(System.getProperty("java.class.path"));

        Process training = run(List.of(java, "-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off,cds+dynamic=off",
                "-cp", classPath, CdsTraining.class.getName()), temp.resolve("training.log"));
        assertThat(training.exitValue()).as(Files.readString(temp.resolve("training.log"))).isZero();
        assertThat(archive).isNotEmptyFile();

        // -Xshare:on fails the JVM when the archive cannot be mapped, instead of silently running without it.
        Process later = run(List.of(java, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load",
                "-cp", classPath, "io.udpix.cli.Main", "--version"), temp.resolve("later.log"));
        String log = Files.readString(temp.resolve("later.log"));
        assertThat(later.exitValue()).as(log).isZero();
        assertThat(log).contains("udpix ").containsPattern("io\\.udpix\\.cli\\.UdpixCommand source: shared objects "
                + "file \\(top\\)");
    }

    /**
     * The class path with each class directory (this module's and, in a reactor build, the other modules') packed
     * into a jar, as the launcher's {@code -jar udpix.jar} is: CDS archives classes from jars only. Test classes
     * stay out.
     */
    private String jarsOnly(String classPath) throws Exception {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.isDirectory(path)) {
                entries.add(entry);
            } else if (!path.getFileName().toString().equals("test-classes")) {
                Path jar = temp.resolve("classes-" + n++ + ".jar");
                try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                        var files = Files.walk(path)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new java.util.jar.JarEntry(path.relativize(file).toString()
                                .replace(java.io.File.separatorChar, '/')));
                        Files.copy(file, out);
                        out.closeEntry();
                    }
                }
                entries.add(jar.toString());
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static Process run(List<String> command, Path log) throws Exception {
        List<String> full = new ArrayList<>(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 120 s");
        }
        return p;
    }

}
