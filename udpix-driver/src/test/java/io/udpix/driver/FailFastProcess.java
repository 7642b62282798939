package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs {@link OutOfMemoryEndpointMain} in its own JVM, sends it one datagram on loopback, and checks it halted. */
public final class FailFastProcess {
    private FailFastProcess() {}

    /** Asserts that a driver of {@code kind} whose endpoint throws OutOfMemoryError ends its process at once. */
    public static void assertHaltsOnOutOfMemory(String kind) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = Files.createTempFile("udpix-failfast", ".err");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                OutOfMemoryEndpointMain.class.getName(), kind)
                .redirectError(stderr.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertThat(ready).as("child stderr: %s", read(stderr)).startsWith("READY ");
            int port = Integer.parseInt(ready.substring("READY ".length()).trim());
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                socket.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, InetAddress.getLoopbackAddress(), port));
            }
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("the process must end within 10 s").isTrue();
            assertThat(p.exitValue()).isEqualTo(FatalErrors.EXIT_STATUS);
            String err = read(stderr);
            assertThat(err).contains("fatal error on a driver thread").contains("OutOfMemoryError")
                    .contains("on thread").contains("-Xmx").contains("connection limit");
        } finally {
            p.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }

    private static String read(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

}
