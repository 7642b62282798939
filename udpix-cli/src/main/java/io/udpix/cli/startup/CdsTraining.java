package io.udpix.cli.startup;

import io.udpix.cli.ConfigDir;
import io.udpix.cli.Main;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The workload the launcher ({@code ./udpix}) runs once per built jar under {@code -XX:ArchiveClassesAtExit}, so
 * the dynamic class-data sharing archive holds the classes of the usual commands: {@code --version}, help,
 * {@code serve} and {@code send} of an image and a JSON document over loopback, in one JVM. Every later launch maps
 * those classes from the archive instead of loading and verifying them from the jar.
 *
 * <p>Everything happens in a temporary directory (received items, the server key, known servers), removed at the
 * end (the send trusts the server on first use into the temporary known servers, as a first real send does); only
 * 127.0.0.1 is used. Not a subcommand: it is {@code java -cp udpix.jar io.udpix.cli.startup.CdsTraining},
 * with the same class path as {@code -jar udpix.jar}, which the archive requires.
 */
public final class CdsTraining {
    private static final Pattern PORT = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");
    /** The whole training must end: a stuck one would hold the launcher's first run. */
    private static final long READY_TIMEOUT_MS = 20_000;
    private static final long STOP_TIMEOUT_MS = 10_000;

    private CdsTraining() {
    }

    /** Runs the workload; exit status 0 when every step worked (the launcher keeps the archive only then). */
    public static void main(String[] args) throws Exception {
        Path temp = Files.createTempDirectory("udpix-cds-");
        int status;
        try {
            status = run(temp);
        } finally {
            deleteTree(temp);
        }
        System.exit(status);
    }

    /** The workload in {@code temp} (left for the caller to remove); 0 when every step worked. */
    static int run(Path temp) throws Exception {
        String configBefore = System.getProperty(ConfigDir.PROPERTY);
        System.setProperty(ConfigDir.PROPERTY, temp.resolve("config").toString());
        try {
            return commands(temp);
        } finally {
            if (configBefore == null) {
                System.clearProperty(ConfigDir.PROPERTY);
            } else {
                System.setProperty(ConfigDir.PROPERTY, configBefore);
            }
        }
    }

    private static int commands(Path temp) throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        Main.run(new String[] {"--version"}, quiet, quiet);
        Main.run(new String[] {"send", "--help"}, quiet, quiet);

        Path image = temp.resolve("training.jpg");
        BufferedImage pixels = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < pixels.getHeight(); y++) {
            for (int x = 0; x < pixels.getWidth(); x++) {
                pixels.setRGB(x, y, x * 4 << 16 | y * 5 << 8 | (x ^ y));
            }
        }
        ImageIO.write(pixels, "jpg", image.toFile());

        ByteArrayOutputStream serveOut = new ByteArrayOutputStream();
        PrintStream serveLines = new PrintStream(serveOut, true, StandardCharsets.UTF_8);
        int[] serveStatus = {-1};
        Thread serve = new Thread(() -> serveStatus[0] = Main.run(new String[] {"serve", "--port", "0", "--bind",
                "127.0.0.1", "--out", temp.resolve("received").toString()}, new ByteArrayInputStream(new byte[0]),
                serveLines, quiet), "udpix-cds-serve");
        serve.setDaemon(true);
        serve.start();
        int port = awaitPort(serveOut, serve);
        if (port < 0) {
            return 1;
        }
        int sent = Main.run(new String[] {"send", image.toString(), "--json", "{\"training\": true}", "--to",
            "127.0.0.1:" + port}, new ByteArrayInputStream(new byte[0]), quiet, quiet);
        serve.interrupt();
        serve.join(STOP_TIMEOUT_MS);
        return sent == 0 && !serve.isAlive() && serveStatus[0] == 0 ? 0 : 1;
    }

    /** The port of serve's ready line, or -1 when it did not get ready in time. */
    private static int awaitPort(ByteArrayOutputStream out, Thread serve) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MS);
        while (System.nanoTime() < deadlineNs && serve.isAlive()) {
            String text = out.toString(StandardCharsets.UTF_8);
            int ready = text.indexOf("listening on ");
            if (ready >= 0) {
                Matcher port = PORT.matcher(text.substring(ready));
                if (port.find()) {
                    return Integer.parseInt(port.group(1));
                }
            }
            Thread.sleep(20);
        }
        return -1;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
