package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class OutputStoreTest {

    @TempDir
    Path root;

    @ParameterizedTest(name = "durable={0}")
    @ValueSource(booleans = {false, true})
    void commitGivesTheExactBytesTheirFinalNameAndLeavesNoTemporaryFile(boolean durable) throws IOException {
        Path dir = root.resolve("received");
        try (OutputStore store = new OutputStore(dir, durable)) {
            PendingFile file = store.create("cat.jpg");
            byte[] bytes = "not really a jpeg".getBytes(StandardCharsets.UTF_8);
            // Out of order, as chunks may arrive.
            file.channel().write(ByteBuffer.wrap(bytes, 9, bytes.length - 9), 9);
            file.channel().write(ByteBuffer.wrap(bytes, 0, 9), 0);

            Path saved = store.commit(file);

            assertThat(saved).isEqualTo(store.dir().resolve("cat.jpg"));
            assertThat(Files.readAllBytes(saved)).isEqualTo(bytes);
            assertThat(partFiles(store.dir())).isEmpty();
            assertThat(file.isOpen()).isFalse();
        }
    }

    @Test
    void keepsAPendingFileUnderAHiddenTemporaryNameUntilCommitted() throws IOException {
        try (OutputStore store = new OutputStore(root)) {
            PendingFile file = store.create("cat.jpg");
            file.channel().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));

            assertThat(file.tempPath().getParent()).isEqualTo(store.dir());
            assertThat(file.tempPath().getFileName().toString()).matches("\\.udpix-[0-9a-f]{16}\\.part");
            assertThat(store.dir().resolve("cat.jpg")).doesNotExist();
            assertThat(store.pendingCount()).isEqualTo(1);
        }
    }

    @Test
    void givesClashingNamesNumericSuffixesAndNeverOverwrites() throws IOException {
        Files.writeString(root.resolve("cat.jpg"), "old");
        try (OutputStore store = new OutputStore(root)) {
            Path first = commit(store, "cat.jpg", "one");
            Path second = commit(store, "cat.jpg", "two");
            Path noExtension = commit(store, "README", "three");
            Path again = commit(store, "README", "four");

            assertThat(first.getFileName()).hasToString("cat (1).jpg");
            assertThat(second.getFileName()).hasToString("cat (2).jpg");
            assertThat(noExtension.getFileName()).hasToString("README");
            assertThat(again.getFileName()).hasToString("README (1)");
            assertThat(Files.readString(root.resolve("cat.jpg"))).isEqualTo("old");
            assertThat(Files.readString(first)).isEqualTo("one");
            assertThat(Files.readString(second)).isEqualTo("two");
        }
    }

    @Test
    void concurrentCommitsOfOneNameAllSurviveUnderDistinctNames() throws Exception {
        int threads = 8;
        try (OutputStore store = new OutputStore(root)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Path>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String content = "content-" + t;
                PendingFile file = store.create("same.txt");
                file.channel().write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
                Callable<Path> commit = () -> {
                    start.await();
                    return store.commit(file);
                };
                results.add(pool.submit(commit));
            }
            start.countDown();
            Set<Path> paths = new HashSet<>();
            Set<String> contents = new HashSet<>();
            for (Future<Path> result : results) {
                Path path = result.get(30, TimeUnit.SECONDS);
                paths.add(path);
                contents.add(Files.readString(path));
            }
            pool.shutdown();

            assertThat(paths).hasSize(threads);
            assertThat(contents).hasSize(threads);
            assertThat(partFiles(store.dir())).isEmpty();
        }
    }

    @Test
    void abortAndUncommittedCloseDeleteTheTemporaryFile() throws IOException {
        try (OutputStore store = new OutputStore(root)) {
            PendingFile aborted = store.create("a.bin");
            store.abort(aborted);
            try (PendingFile abandoned = store.create("b.bin")) {
                abandoned.channel().write(ByteBuffer.wrap(new byte[10]));
            }

            assertThat(partFiles(store.dir())).isEmpty();
            assertThat(store.dir().resolve("a.bin")).doesNotExist();
            assertThat(store.dir().resolve("b.bin")).doesNotExist();
            assertThatThrownBy(() -> store.commit(aborted))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already committed or aborted");
        }
    }

    @Test
    void closingTheStoreAbandonsPendingFiles() throws IOException {
        Path dir;
        try (OutputStore store = new OutputStore(root)) {
            dir = store.dir();
            store.create("x.bin");
            store.create("y.bin");
        }
        assertThat(partFiles(dir)).isEmpty();
        assertThat(dir.resolve("x.bin")).doesNotExist();
    }

    @Test
    void cleanStaleRemovesLeftoverPartFilesButNotItsOwnOrOthers() throws IOException {
        Path outside = Files.writeString(root.resolve("outside.txt"), "keep me");
        Path dir = Files.createDirectory(root.resolve("out"));
        Files.writeString(dir.resolve(".udpix-0123456789abcdef.part"), "left by a crash");
        Files.writeString(dir.resolve("photo.part"), "the user's own file");
        Files.createSymbolicLink(dir.resolve(".udpix-link.part"), outside);
        try (OutputStore store = new OutputStore(dir)) {
            PendingFile mine = store.create("mine.bin");

            assertThat(store.cleanStale()).isEqualTo(1);

            assertThat(dir.resolve(".udpix-0123456789abcdef.part")).doesNotExist();
            assertThat(mine.tempPath()).exists();
            assertThat(dir.resolve("photo.part")).exists();
            assertThat(outside).hasContent("keep me");
        }
    }

    @Test
    void refusesNamesThatAreNotSafe() throws IOException {
        Path dir = Files.createDirectory(root.resolve("out"));
        try (OutputStore store = new OutputStore(dir)) {
            for (String name : List.of("../escape.txt", "/etc/passwd", "sub//dir.txt", "sub/../x", ".udpix-1.part",
                    "..", "")) {
                assertThatThrownBy(() -> store.create(name))
                        .as(name)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("SafeNames.baseName");
            }
        }
        try (Stream<Path> entries = Files.list(root)) {
            assertThat(entries).containsExactly(dir);
        }
    }

    @Test
    void doesNotFollowALinkPlantedUnderTheFinalName() throws IOException {
        Path outside = Files.writeString(root.resolve("victim.txt"), "precious");
        Path dir = Files.createDirectory(root.resolve("out"));
        Files.createSymbolicLink(dir.resolve("cat.jpg"), outside);
        try (OutputStore store = new OutputStore(dir)) {
            Path saved = commit(store, "cat.jpg", "attacker bytes");

            assertThat(saved.getFileName()).hasToString("cat (1).jpg");
            assertThat(outside).hasContent("precious");
        }
    }

    @Test
    void refusesADirectoryAnotherStoreIsUsing() throws IOException {
        try (OutputStore first = new OutputStore(root)) {
            assertThat(first.dir()).isEqualTo(root.toRealPath());
            assertThatThrownBy(() -> new OutputStore(root))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("another udpix server")
                    .hasMessageContaining("--out");
        }
        new OutputStore(root).close();
    }

    @Test
    void refusesAnOutputPathThatIsAFile() throws IOException {
        Path file = Files.writeString(root.resolve("file"), "x");

        assertThatThrownBy(() -> new OutputStore(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a directory");
    }

    @Test
    void insertsTheSuffixBeforeTheLastExtension() {
        assertThat(OutputStore.withSuffix("cat.jpg", 0)).isEqualTo("cat.jpg");
        assertThat(OutputStore.withSuffix("cat.jpg", 3)).isEqualTo("cat (3).jpg");
        assertThat(OutputStore.withSuffix("archive.tar.gz", 1)).isEqualTo("archive.tar (1).gz");
        assertThat(OutputStore.withSuffix("Makefile", 2)).isEqualTo("Makefile (2)");
    }

    private static Path commit(OutputStore store, String name, String content) throws IOException {
        PendingFile file = store.create(name);
        file.channel().write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        return store.commit(file);
    }

    private static List<Path> partFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
