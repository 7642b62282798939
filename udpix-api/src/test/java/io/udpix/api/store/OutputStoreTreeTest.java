package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names with directories ({@link TreeNames}) stored under the output directory, never through a link. */
class OutputStoreTreeTest {

    @TempDir
    Path root;

    @Test
    void storesARelativeNameUnderItsDirectoriesMadeOnTheWay() throws IOException {
        try (OutputStore store = new OutputStore(root.resolve("out"))) {
            Path saved = commit(store, "photos/2024/été/cat.jpg", "meow");

            assertThat(saved).isEqualTo(store.dir().resolve("photos/2024/été/cat.jpg"));
            assertThat(saved).hasContent("meow");
            assertThat(Files.isDirectory(store.dir().resolve("photos/2024"))).isTrue();
            assertThat(partFiles(store.dir())).isEmpty();
        }
    }

    @Test
    void neverWritesThroughASymbolicLinkPlantedWhereADirectoryShouldBe() throws IOException {
        Path outside = Files.createDirectory(root.resolve("outside"));
        Path dir = Files.createDirectory(root.resolve("out"));
        Files.createSymbolicLink(dir.resolve("photos"), outside);
        try (OutputStore store = new OutputStore(dir)) {
            assertThatThrownBy(() -> commit(store, "photos/cat.jpg", "attacker bytes"))
                    .isInstanceOf(RefusedPathException.class)
                    .hasMessageContaining("'photos/'").hasMessageContaining("symbolic link")
                    .hasMessageContaining("never writes through links");
            // Deeper: the link is the second component.
            Files.createDirectory(dir.resolve("a"));
            Files.createSymbolicLink(dir.resolve("a/b"), outside);
            assertThatThrownBy(() -> commit(store, "a/b/c/cat.jpg", "attacker bytes"))
                    .isInstanceOf(RefusedPathException.class).hasMessageContaining("'a/b/'");
            assertThat(store.pendingCount()).isZero();
        }
        try (Stream<Path> entries = Files.list(outside)) {
            assertThat(entries).isEmpty();
        }
        assertThat(partFiles(dir)).isEmpty();
    }

    @Test
    void refusesAtCommitALinkSwappedInAfterTheFileWasStarted() throws IOException {
        Path outside = Files.createDirectory(root.resolve("outside"));
        Path dir = Files.createDirectory(root.resolve("out"));
        try (OutputStore store = new OutputStore(dir)) {
            PendingFile file = store.create("photos/cat.jpg");
            file.channel().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            // Planted after the check at create (the directory itself is made only at commit).
            Files.createSymbolicLink(dir.resolve("photos"), outside);

            assertThatThrownBy(() -> store.commit(file)).isInstanceOf(RefusedPathException.class);
        }
        try (Stream<Path> entries = Files.list(outside)) {
            assertThat(entries).isEmpty();
        }
        assertThat(partFiles(dir)).isEmpty();
    }

    @Test
    void refusesAFileWhereADirectoryShouldBeAndNumbersAFileWhereADirectoryIs() throws IOException {
        Path dir = Files.createDirectory(root.resolve("out"));
        Files.writeString(dir.resolve("notes"), "a file");
        Files.createDirectories(dir.resolve("docs/readme.txt"));
        try (OutputStore store = new OutputStore(dir)) {
            assertThatThrownBy(() -> commit(store, "notes/today.txt", "x"))
                    .isInstanceOf(RefusedPathException.class)
                    .hasMessageContaining("'notes' exists in the receiver's output directory as a file")
                    .hasMessageContaining("rename one of them or send to another --out");

            Path saved = commit(store, "docs/readme.txt", "text");

            assertThat(saved).isEqualTo(store.dir().resolve("docs/readme (1).txt"));
        }
        assertThat(dir.resolve("notes")).hasContent("a file");
    }

    @Test
    void numbersAClashInADirectoryFromAnEarlierRunInOneAttempt() throws IOException {
        Path dir = Files.createDirectories(root.resolve("out/a.b"));
        for (String name : List.of("x.txt", "x (1).txt", "x (2).txt", "x (3).txt", "x (4).txt", "x (5).txt")) {
            Files.writeString(dir.resolve(name), name);
        }
        try (OutputStore store = new OutputStore(root.resolve("out"))) {
            Path saved = commit(store, "a.b/x.txt", "new");

            assertThat(saved.getFileName()).hasToString("x (6).txt");
            assertThat(store.nameAttempts()).isEqualTo(1);
        }
    }

    @Test
    void twoFilesOfOneNewDirectoryShareIt() throws IOException {
        try (OutputStore store = new OutputStore(root)) {
            PendingFile first = store.create("new/one.txt");
            PendingFile second = store.create("new/two.txt");
            store.commit(second);
            store.commit(first);
        }
        try (Stream<Path> entries = Files.list(root.resolve("new"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("one.txt", "two.txt");
        }
    }

    @Test
    void makesTheDirectoriesOnlyAtCommitSoAnAbortedFileLeavesNoneBehind() throws IOException {
        Path dir = Files.createDirectory(root.resolve("out"));
        try (OutputStore store = new OutputStore(dir)) {
            PendingFile file = store.create("never/finished/x.bin");
            file.channel().write(ByteBuffer.wrap(new byte[] {1}));
            assertThat(dir.resolve("never")).doesNotExist();

            store.abort(file);
        }
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactly(".udpix.lock");
        }
    }

    @Test
    void countsTheFilesInItsFoldersAsExistingBytesButNotThroughLinks() throws IOException {
        Path outside = Files.write(root.resolve("outside.bin"), new byte[5_000]);
        Path dir = Files.createDirectories(root.resolve("out/a/b"));
        Files.write(dir.resolve("one.bin"), new byte[1_000]);
        Files.write(root.resolve("out/top.bin"), new byte[100]);
        Files.createSymbolicLink(dir.resolve("link.bin"), outside);
        Files.createSymbolicLink(root.resolve("out/linked-folder"), root);

        try (OutputStore store = new OutputStore(root.resolve("out"))) {
            assertThat(store.existingBytes()).isEqualTo(1_100);
        }
    }

    private static Path commit(OutputStore store, String name, String content) throws IOException {
        PendingFile file = store.create(name);
        try {
            file.channel().write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            return store.commit(file);
        } finally {
            store.abort(file);
        }
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
