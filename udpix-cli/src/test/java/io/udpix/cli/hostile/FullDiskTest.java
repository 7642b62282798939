package io.udpix.cli.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.udpix.api.Item;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import io.udpix.api.UdpixServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON messages into an output folder on a real disk (a tmpfs, where the machine lets the test mount one) that
 * another program fills to the last byte: messages that do not fit are refused, whether by the free-space check
 * or when the write itself fails; every confirmed message is one whole line of messages.jsonl, none is glued to a
 * torn one; once space is free again the next message is stored whole. With 4 KiB pages, three ~3.1 KB lines
 * leave room in the log's last page for only part of the next line, so the first refused message is cut part-way
 * by the disk: the torn write the log must take back.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FullDiskTest {
    private static final int PAD_BYTES = 3_000;
    /** The server keeps 64 MiB free (StorageAdmission); 8 MiB more is room for the first messages. */
    private static final String DISK_SIZE = "72m";

    @TempDir
    Path temp;

    @Test
    void onADiskAnotherProgramFillsJsonMessagesAreRefusedOrStoredAsWholeLinesAndStoredAgainOnceSpaceIsFree()
            throws Exception {
        Path disk = temp.resolve("disk");
        Files.createDirectories(disk);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=" + DISK_SIZE, "tmpfs", disk.toString()),
                "cannot mount a tmpfs here (needs root and a mount namespace that allows it); skipping");
        try {
            Path out = disk.resolve("received");
            Path filler = disk.resolve("filler.bin");
            List<Integer> confirmed = new ArrayList<>();
            List<String> refusals = new ArrayList<>();
            long logBytes;
            int next = 0;
            try (UdpixServer server = HostileServers.start(out, b -> { });
                 UdpixClient client = HostileServers.client(server.localAddresses().get(0), RawPeers.loopback())) {
                for (; next < 3; next++) {
                    client.send(Item.jsonText(message(next)));
                    confirmed.add(next);
                }
                logBytes = Files.size(out.resolve("messages.jsonl"));
                long fillerBytes = fill(filler);
                // The server's free-space figure is up to a second old: the first of these pass its check and
                // fail in the write itself, the later ones are refused by the check.
                for (int i = 0; i < 10; i++, next++) {
                    try {
                        client.send(Item.jsonText(message(next)));
                        confirmed.add(next);
                    } catch (UdpixException e) {
                        refusals.add(e.getMessage());
                    }
                }
                Files.delete(filler);
                boolean storedAgain = false;
                for (int attempt = 0; attempt < 10 && !storedAgain; attempt++, next++) {
                    Thread.sleep(300); // Until the server's free-space figure is refreshed (every second).
                    try {
                        client.send(Item.jsonText(message(next)));
                        confirmed.add(next);
                        storedAgain = true;
                    } catch (UdpixException e) {
                        refusals.add(e.getMessage());
                    }
                }
                assertThat(storedAgain).as("a message is stored once space is free: %s", refusals).isTrue();
                assertThat(fillerBytes).as("the filler took the disk").isPositive();
            }

            System.out.println("full disk: log " + logBytes + " bytes before the fill; confirmed " + confirmed
                    + "; refusals: " + refusals.size());
            List<Integer> stored = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : Files.readAllLines(out.resolve("messages.jsonl"))) {
                JsonNode record = json.readTree(line); // Throws on a torn or glued line.
                stored.add(record.get("value").get("i").asInt());
            }
            assertThat(refusals).as("the full disk refused messages").isNotEmpty();
            assertThat(refusals.get(0)).as("the refusal names the cause").containsIgnoringCase("space");
            assertThat(stored).as("every confirmed message is one whole line, and only those; refused: %s",
                    refusals).containsExactlyElementsOf(confirmed);
        } finally {
            run("umount", "-l", disk.toString());
        }
    }

    /** Writes {@code file} until the disk is full, as another program would; returns its size. */
    private static long fill(Path file) throws IOException {
        byte[] block = new byte[1 << 20];
        long written = 0;
        try (var out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
                written += block.length;
            }
        } catch (IOException e) {
            return Math.max(written, Files.size(file)); // No space left: the disk is full.
        }
    }

    private static String message(int i) {
        return "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(PAD_BYTES) + "\"}";
    }

    /** Runs {@code command}; whether it exited 0 within 10 s. */
    private static boolean run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
