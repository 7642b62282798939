package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clash costs one name attempt however many files share the name (issue 10: 9,000 copies took 28 s). */
class NameClashTest {
    private static final int COPIES = 9_000;

    @TempDir
    Path root;

    @Test
    void nineThousandSameNamedCommitsEachTakeOneNameAttempt() throws IOException {
        try (OutputStore store = new OutputStore(root)) {
            for (int i = 0; i < COPIES; i++) {
                commit(store, "a.txt", 1);
            }
            assertThat(store.nameAttempts()).isEqualTo(COPIES);

            long before = store.nameAttempts();
            Path last = commit(store, "a.txt", 10 << 20);

            assertThat(last.getFileName().toString()).isEqualTo("a (" + COPIES + ").txt");
            assertThat(store.nameAttempts() - before).isEqualTo(1);
            assertThat(Files.size(last)).isEqualTo(10 << 20);
        }
    }

    @Test
    void learnsTheNextFreeNumberFromTheFilesAlreadyInTheDirectory() throws IOException {
        Files.createFile(root.resolve("a.txt"));
        for (int i = 1; i < COPIES; i++) {
            Files.createFile(root.resolve("a (" + i + ").txt"));
        }
        Files.createFile(root.resolve("Makefile (41)"));
        try (OutputStore store = new OutputStore(root)) {

            Path saved = commit(store, "a.txt", 3);
            Path make = commit(store, "Makefile", 3);

            assertThat(saved.getFileName().toString()).isEqualTo("a (" + COPIES + ").txt");
            assertThat(make.getFileName().toString()).isEqualTo("Makefile (42)");
            assertThat(store.nameAttempts()).isEqualTo(2);
        }
    }

    @Test
    void takesAUniqueNameWithinABoundedNumberOfTriesWhenAnotherProgramTookTheNumberedOnes() throws IOException {
        Files.createFile(root.resolve("a.txt"));
        try (OutputStore store = new OutputStore(root)) {
            for (int i = 1; i <= OutputStore.MAX_INDEXED_ATTEMPTS; i++) {
                Files.createFile(root.resolve("a (" + i + ").txt")); // behind the index's back
            }

            Path saved = commit(store, "a.txt", 5);

            assertThat(saved.getFileName().toString()).matches("a \\(\\d{8}-\\d{6}-\\d+\\)\\.txt");
            assertThat(store.nameAttempts()).isEqualTo(OutputStore.MAX_INDEXED_ATTEMPTS + 1);
            assertThat(Files.size(root.resolve("a (1).txt"))).as("never overwritten").isZero();
        }
    }

    private static Path commit(OutputStore store, String name, int sizeBytes) throws IOException {
        PendingFile file = store.create(name);
        ByteBuffer bytes = ByteBuffer.allocate(sizeBytes);
        while (bytes.hasRemaining()) {
            file.channel().write(bytes);
        }
        return store.commit(file);
    }
}
