package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON lines are written whole or not at all, and a torn tail is repaired at start (issue 10). */
class MessageLogRepairTest {
    private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 5000);
    private static final Instant TIME = Instant.parse("2026-12-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aFailedAppendLeavesTheFileEndingOnACompleteLineAndTheNextMessageIsItsOwnValidLine() throws IOException {
        FullDisk disk = new FullDisk();
        try (MessageLog log = new MessageLog(dir, false, path -> disk.wrap(FileChannel.open(path,
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)))) {
            log.append(TIME, FROM, 9000, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            disk.full = true; // the next write stores 10 bytes, then ENOSPC

            assertThatThrownBy(() -> log.append(TIME, FROM, 9000,
                    "{\"n\":2,\"padding\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(IOException.class).hasMessageContaining("No space left");
            disk.full = false;
            log.append(TIME, FROM, 9000, "{\"n\":3}".getBytes(StandardCharsets.UTF_8));
        }

        List<String> lines = Files.readAllLines(dir.resolve(MessageLog.FILE_NAME));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).endsWith("\"value\":{\"n\":1}}");
        assertThat(lines.get(1)).endsWith("\"value\":{\"n\":3}}");
        for (String line : lines) {
            assertThat(MessageLog.validateJson(line.getBytes(StandardCharsets.UTF_8))).isNull();
        }
        assertThat(Files.readString(dir.resolve(MessageLog.FILE_NAME))).endsWith("}\n");
    }

    @Test
    void aTornTailIsMovedAsideAtStartAndTheLogEndsOnItsLastCompleteLine() throws IOException {
        String whole = "{\"time\":\"t\",\"from\":\"127.0.0.1:1\",\"port\":9,\"value\":1}\n";
        String torn = "{\"time\":\"t\",\"from\":\"127.0.0.1:1\",\"po";
        Files.writeString(dir.resolve(MessageLog.FILE_NAME), whole + torn);

        try (MessageLog log = new MessageLog(dir)) {
            log.append(TIME, FROM, 9000, "[true]".getBytes(StandardCharsets.UTF_8));
        }

        List<String> lines = Files.readAllLines(dir.resolve(MessageLog.FILE_NAME));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0) + "\n").isEqualTo(whole);
        assertThat(lines.get(1)).endsWith("\"value\":[true]}");
        assertThat(Files.readString(tornFile())).isEqualTo(torn);
    }

    @Test
    void aLastLineThatIsNotValidJsonIsMovedAsideToo() throws IOException {
        String whole = "{\"value\":1}\n";
        String glued = "{\"value\":2{\"value\":3}\n"; // a half line the next line was glued to
        Files.writeString(dir.resolve(MessageLog.FILE_NAME), whole + glued);

        new MessageLog(dir).close();

        assertThat(Files.readString(dir.resolve(MessageLog.FILE_NAME))).isEqualTo(whole);
        assertThat(Files.readString(tornFile())).isEqualTo(glued);
    }

    @Test
    void aLogOfWholeLinesIsLeftAsItIs() throws IOException {
        String whole = "{\"value\":1}\n{\"value\":2}\n";
        Files.writeString(dir.resolve(MessageLog.FILE_NAME), whole);

        new MessageLog(dir).close();

        assertThat(Files.readString(dir.resolve(MessageLog.FILE_NAME))).isEqualTo(whole);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(MessageLog.FILE_NAME);
        }
    }

    private Path tornFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> torn = files.filter(p -> p.getFileName().toString().startsWith(MessageLog.FILE_NAME + ".torn-"))
                    .toList();
            assertThat(torn).hasSize(1);
            return torn.get(0);
        }
    }

    /** A volume that fills up: while {@code full}, a write stores its first 10 bytes and then fails. */
    static final class FullDisk {
        volatile boolean full;

        FileChannel wrap(FileChannel real) {
            return new FailingChannel(real, this);
        }
    }

    /** A FileChannel whose writes fail part-way while its disk is full, as ENOSPC does. */
    private static final class FailingChannel extends FileChannel {
        private final FileChannel real;
        private final FullDisk disk;

        FailingChannel(FileChannel real, FullDisk disk) {
            this.real = real;
            this.disk = disk;
        }

        private int maybeFail(ByteBuffer src, long position) throws IOException {
            if (!disk.full) {
                return -1;
            }
            ByteBuffer part = src.slice();
            part.limit(Math.min(10, part.remaining()));
            int n = position < 0 ? real.write(part) : real.write(part, position);
            src.position(src.position() + n);
            throw new IOException("No space left on device");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return real.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return real.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            maybeFail(src, -1);
            return real.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public long position() throws IOException {
            return real.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            real.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return real.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            real.truncate(size);
            return this;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            real.force(metaData);
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return real.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return real.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            maybeFail(src, position);
            return real.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            throw new IOException("not used");
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return real.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return real.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            real.close();
        }
    }
}
