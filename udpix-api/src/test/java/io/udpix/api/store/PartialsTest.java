package io.udpix.api.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialsTest {
    private static final long NOW_MS = 1_800_000_000_000L;

    @TempDir
    Path dir;

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    private static byte[] content(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** An owner that hands over at a fixed offset. */
    private static Partials.Owner owner(long handOverAt) {
        return () -> handOverAt;
    }

    @Test
    void resumesAFailedTransferAtTheJournalsOffsetAfterTheStoreIsReopened() throws Exception {
        byte[] data = content(300_000, 1);
        byte[] hash = sha256(data);
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(-1);
            Partials.Claim claim = store.partials().claim("big.bin", data.length, hash, "10.0.0.1", first, NOW_MS);
            assertThat(claim.offsetBytes()).isZero();
            PartialWriter writer = new PartialWriter(store, claim.partial(), first, 0);
            writer.write(ByteBuffer.wrap(data, 0, 120_000));
            writer.keep();
            assertThat(store.partials().heldBytes("big.bin", data.length, hash)).isEqualTo(120_000);
        }
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner second = owner(-1);
            Partials.Claim claim = store.partials().claim("big.bin", data.length, hash, "10.0.0.2", second,
                    NOW_MS + 1000);
            assertThat(claim.offsetBytes()).isEqualTo(120_000);
            PartialWriter writer = new PartialWriter(store, claim.partial(), second, claim.offsetBytes());
            writer.write(ByteBuffer.wrap(data, 120_000, data.length - 120_000));
            assertThat(writer.verified(hash)).isTrue();
            Path stored = writer.commit("big.bin");
            assertThat(Files.readAllBytes(stored)).isEqualTo(data);
            assertThat(store.partials().count()).isZero();
            try (var left = Files.list(dir.resolve(Partials.DIR_NAME))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void aResumedFileWhosePrefixWasAlteredFailsVerification() throws Exception {
        byte[] data = content(200_000, 2);
        byte[] hash = sha256(data);
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(-1);
            Partials.Claim claim = store.partials().claim("x.bin", data.length, hash, "10.0.0.1", first, NOW_MS);
            PartialWriter writer = new PartialWriter(store, claim.partial(), first, 0);
            writer.write(ByteBuffer.wrap(data, 0, 100_000));
            writer.keep();
            Path part = claim.partial().file();
            byte[] onDisk = Files.readAllBytes(part);
            onDisk[5] ^= 1;
            Files.write(part, onDisk);
            Partials.Owner second = owner(-1);
            Partials.Claim again = store.partials().claim("x.bin", data.length, hash, "10.0.0.1", second, NOW_MS);
            PartialWriter resumed = new PartialWriter(store, again.partial(), second, again.offsetBytes());
            resumed.write(ByteBuffer.wrap(data, 100_000, 100_000));
            assertThat(resumed.verified(hash)).isFalse();
            resumed.drop();
            assertThat(Files.exists(part)).isFalse();
            assertThat(store.partials().heldBytes("x.bin", data.length, hash)).isZero();
        }
    }

    @Test
    void aChangedContentOfTheSameNameAndSizeStartsFromZero() throws Exception {
        byte[] data = content(100_000, 3);
        byte[] changed = content(100_000, 4);
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(-1);
            Partials.Claim claim = store.partials().claim("same.bin", data.length, sha256(data), "10.0.0.1", first,
                    NOW_MS);
            PartialWriter writer = new PartialWriter(store, claim.partial(), first, 0);
            writer.write(ByteBuffer.wrap(data, 0, 50_000));
            writer.keep();
            Partials.Claim other = store.partials().claim("same.bin", changed.length, sha256(changed), "10.0.0.1",
                    owner(-1), NOW_MS);
            assertThat(other.offsetBytes()).isZero();
            assertThat(other.partial().file()).isNotEqualTo(claim.partial().file());
        }
    }

    @Test
    void takesOverAPartialStillBeingWrittenAtTheOffsetItsOwnerReached() throws Exception {
        byte[] data = content(100_000, 5);
        byte[] hash = sha256(data);
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(40_000);
            Partials.Claim claim = store.partials().claim("t.bin", data.length, hash, "10.0.0.1", first, NOW_MS);
            PartialWriter old = new PartialWriter(store, claim.partial(), first, 0);
            old.write(ByteBuffer.wrap(data, 0, 40_000));
            Partials.Owner second = owner(-1);
            Partials.Claim taken = store.partials().claim("t.bin", data.length, hash, "10.0.0.1", second, NOW_MS);
            assertThat(taken.offsetBytes()).isEqualTo(40_000);
            assertThat(taken.partial().ready()).as("waits for the old owner's last write").isFalse();
            old.handOff(true);
            old.keep(); // the old transfer's own end later changes nothing
            assertThat(taken.partial().ready()).isTrue();
            PartialWriter resumed = new PartialWriter(store, taken.partial(), second, 40_000);
            resumed.write(ByteBuffer.wrap(data, 40_000, 60_000));
            assertThat(resumed.verified(hash)).isTrue();
            assertThat(Files.readAllBytes(resumed.commit("t.bin"))).isEqualTo(data);
        }
    }

    @Test
    void aPartialItsOldOwnerDroppedBeforeTheHandOverIsNotResumedAgain() throws Exception {
        byte[] data = content(100_000, 8);
        byte[] hash = sha256(data);
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(40_000);
            Partials.Claim claim = store.partials().claim("d.bin", data.length, hash, "10.0.0.1", first, NOW_MS);
            PartialWriter old = new PartialWriter(store, claim.partial(), first, 0);
            old.write(ByteBuffer.wrap(data, 0, 40_000));
            Partials.Owner second = owner(-1);
            Partials.Claim taken = store.partials().claim("d.bin", data.length, hash, "10.0.0.1", second, NOW_MS);
            old.drop(); // its own end ran first: not the owner any more, so nothing is deleted...
            old.handOff(true); // ...but the file it had is not trusted
            assertThat(taken.partial().broken()).isTrue();

            new PartialWriter(store, taken.partial(), second, taken.offsetBytes()).keep();

            assertThat(store.partials().heldBytes("d.bin", data.length, hash)).as("starts from 0 next time").isZero();
            assertThat(Files.exists(taken.partial().file())).isFalse();
        }
    }

    @Test
    void anotherAddressCannotTakeOverAPartialStillBeingWritten() throws Exception {
        Partials partials = Partials.load(dir, Partials.Limits.DEFAULT, NOW_MS);
        byte[] hash = new byte[32];
        boolean[] asked = {false};
        Partials.Claim running = partials.claim("c.bin", 1000, hash, "10.0.0.1", () -> {
            asked[0] = true;
            return 500;
        }, NOW_MS);
        assertThat(running.partial()).isNotNull();

        Partials.Claim other = partials.claim("c.bin", 1000, hash, "10.0.0.9", owner(-1), NOW_MS);

        assertThat(other.partial()).as("goes without resume").isNull();
        assertThat(asked[0]).as("the running transfer was not asked to give up").isFalse();
        assertThat(partials.claim("c.bin", 1000, hash, "10.0.0.1", owner(-1), NOW_MS).offsetBytes())
                .as("its own address takes it over").isEqualTo(500);
    }

    @Test
    void discardsAtLoadAPartialWhoseFileIsShorterThanItsJournalAndFilesWithoutJournal() throws Exception {
        byte[] data = content(100_000, 6);
        byte[] hash = sha256(data);
        Path part;
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(-1);
            Partials.Claim claim = store.partials().claim("s.bin", data.length, hash, "10.0.0.1", first, NOW_MS);
            PartialWriter writer = new PartialWriter(store, claim.partial(), first, 0);
            writer.write(ByteBuffer.wrap(data, 0, 80_000));
            writer.keep();
            part = claim.partial().file();
        }
        try (var ch = java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(10_000);
        }
        Files.write(dir.resolve(Partials.DIR_NAME).resolve("0123456789abcdef0123456789abcdef.part"), new byte[10]);
        try (OutputStore store = new OutputStore(dir)) {
            assertThat(store.partials().count()).isZero();
            assertThat(store.partials().discardedAtLoad()).isEqualTo(3);
            try (var left = Files.list(dir.resolve(Partials.DIR_NAME))) {
                assertThat(left).isEmpty();
            }
        }
    }

    @Test
    void removesPartialsOlderThanTheExpiryWhenLoaded() throws Exception {
        byte[] data = content(10_000, 7);
        byte[] hash = sha256(data);
        Path journal;
        try (OutputStore store = new OutputStore(dir)) {
            Partials.Owner first = owner(-1);
            Partials.Claim claim = store.partials().claim("old.bin", data.length, hash, "10.0.0.1", first, NOW_MS);
            PartialWriter writer = new PartialWriter(store, claim.partial(), first, 0);
            writer.write(ByteBuffer.wrap(data, 0, 5_000));
            writer.keep();
            journal = claim.partial().journal();
        }
        Files.setLastModifiedTime(journal, FileTime.fromMillis(System.currentTimeMillis()
                - Partials.Limits.DEFAULT.expiryMs() - 60_000));
        try (OutputStore store = new OutputStore(dir)) {
            assertThat(store.partials().heldBytes("old.bin", data.length, hash)).isZero();
            assertThat(Files.exists(journal)).isFalse();
        }
    }

    @Test
    void anAddressBeyondItsShareEvictsItsOwnOldestPartialNotAnothersAndBusyOnesAreNeverEvicted() throws Exception {
        Partials partials = Partials.load(dir, new Partials.Limits(4, 1L << 30, 3_600_000), NOW_MS);
        byte[] hash = new byte[32];
        Partials.Claim other = partials.claim("b0", 10, hash, "10.0.0.2", owner(-1), NOW_MS);
        partials.release(other.partial(), null, 0, NOW_MS); // not its owner: stays busy
        Partials.Owner o1 = owner(-1);
        Partials.Claim a1 = partials.claim("a1", 10, hash, "10.0.0.1", o1, NOW_MS + 1);
        partials.release(a1.partial(), o1, 5, NOW_MS + 1);
        Partials.Owner o2 = owner(-1);
        Partials.Claim a2 = partials.claim("a2", 10, hash, "10.0.0.1", o2, NOW_MS + 2);
        partials.release(a2.partial(), o2, 5, NOW_MS + 2);
        // The address holds 2 of 4 (its half): a third evicts its own oldest, a1, and leaves b0 alone.
        Partials.Claim a3 = partials.claim("a3", 10, hash, "10.0.0.1", owner(-1), NOW_MS + 3);
        assertThat(a3.partial()).isNotNull();
        assertThat(a3.evicted()).contains(a1.partial().file());
        assertThat(partials.heldBytes("a1", 10, hash)).isZero();
        assertThat(partials.heldBytes("a2", 10, hash)).isEqualTo(5);
        assertThat(partials.count()).isEqualTo(3);
        // a2 idle, a3 busy, b0 busy; another address's new partial fits (4 of 4).
        assertThat(partials.claim("c1", 10, hash, "10.0.0.3", owner(-1), NOW_MS + 4).partial()).isNotNull();
        // Full: a fifth evicts the oldest idle one of anyone (a2), never a busy one.
        Partials.Claim d1 = partials.claim("d1", 10, hash, "10.0.0.4", owner(-1), NOW_MS + 5);
        assertThat(d1.evicted()).contains(a2.partial().file());
        assertThat(partials.inUse(a2.partial().file())).as("evicted").isFalse();
        assertThat(partials.inUse(d1.partial().file())).isTrue();
        // Nothing idle left: the next transfer goes without resume.
        assertThat(partials.claim("e1", 10, hash, "10.0.0.5", owner(-1), NOW_MS + 6).partial()).isNull();
    }
}
