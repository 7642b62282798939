package io.udpix.engine.crypto;

import io.udpix.wire.PacketProtection;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD protection of DATA packets after the handshake: AES-256-GCM over the body, the 16-byte packet header as
 * associated data, the 16-byte tag where CRC32C was. The nonce is the header's packet number, used as an explicit
 * Noise nonce (Noise spec rev 34 section 11.4, out-of-order transport): 4 zero bytes and the number as a 64-bit
 * big-endian counter (section 12.3), so packets can be opened in any order.
 *
 * <p><b>Key update without signalling.</b> Packet number {@code pn} belongs to epoch {@code pn >>> epochBits};
 * the key of epoch e+1 is Noise REKEY (section 4.2) of the key of epoch e. Both sides compute the same keys from
 * the packet numbers alone. The receiver keeps the previous epoch's key for late packets and derives the next one
 * when a packet of the next epoch authenticates with it. With the default 2^22 packets per epoch a key protects
 * at most 2^22 packets, half of the confidentiality limit of 2^23 packets per key that RFC 9001 section 6.6 sets
 * for AEAD_AES_256_GCM.
 *
 * <p>One {@link Cipher} per direction, reused; a packet costs one {@code Cipher.init} (the JDK API needs a
 * {@link GCMParameterSpec} per nonce, the only allocation). Heap buffers are processed in place through their
 * array; direct buffers through a per-thread heap scratch array (the JDK intrinsics take arrays). Not
 * thread-safe: one per connection.
 */
public final class PacketCipher implements PacketProtection {
    /** Tag length. */
    public static final int TAG_BYTES = CipherState.TAG_BYTES;
    /** Header length, the associated data. */
    static final int HEADER_BYTES = 16;
    /** Offset of the u32 packet number in the header. */
    static final int PACKET_NUMBER_OFFSET = 12;
    /** Default packets per key epoch: 2^22. */
    public static final int DEFAULT_EPOCH_BITS = 22;
    /** Largest UDP payload plus a tag: what the scratch array for direct buffers grows to at most. */
    private static final int MAX_DATAGRAM_BYTES = 65_536 + TAG_BYTES;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[2048]);
    /** Epochs the receiver derives forward at once at most (a longer jump is dropped). */
    static final int MAX_EPOCH_JUMP = 2;

    private final int epochBits;
    private final Cipher sealer = CipherState.newAesGcm();
    private final Cipher opener = CipherState.newAesGcm();
    private final byte[] nonce = new byte[12];

    private long sendEpoch;
    private SecretKeySpec sendKey;
    private byte[] sendKeyBytes;

    private long receiveEpoch;
    private SecretKeySpec receiveKey;
    private byte[] receiveKeyBytes;
    private SecretKeySpec previousReceiveKey;

    /**
     * Keys of the next {@link #MAX_EPOCH_JUMP} receive epochs, derived once and kept: otherwise every forged packet
     * numbered in a coming epoch would cost a REKEY.
     */
    private final byte[][] aheadBytes = new byte[MAX_EPOCH_JUMP][];
    private final SecretKeySpec[] aheadSpecs = new SecretKeySpec[MAX_EPOCH_JUMP];
    private long epochsAdvanced;

    /** Keys from Noise Split(): {@code sendKey} for what we send, {@code receiveKey} for what we receive. */
    public PacketCipher(byte[] sendKey, byte[] receiveKey, int epochBits) {
        if (epochBits < 1 || epochBits > 32) {
            throw new IllegalArgumentException("epochBits " + epochBits + " must be 1..32");
        }
        this.epochBits = epochBits;
        this.sendKeyBytes = sendKey.clone();
        this.sendKey = new SecretKeySpec(sendKeyBytes, "AES");
        this.receiveKeyBytes = receiveKey.clone();
        this.receiveKey = new SecretKeySpec(receiveKeyBytes, "AES");
    }

    @Override
    public int overheadBytes() {
        return TAG_BYTES;
    }

    /** Receive-side key updates done so far (for tests and stats). */
    public long receiveEpochsAdvanced() {
        return epochsAdvanced;
    }

    @Override
    public int seal(ByteBuffer buf, int packetStart, int payloadEnd) {
        if (packetStart < 0 || payloadEnd < packetStart + HEADER_BYTES || payloadEnd > buf.limit() - TAG_BYTES) {
            throw new IndexOutOfBoundsException("cannot seal [" + packetStart + ", " + payloadEnd + ") with a "
                    + TAG_BYTES + "-byte tag below the buffer's limit " + buf.limit());
        }
        long pn = packetNumber(buf, packetStart);
        long epoch = pn >>> epochBits;
        while (sendEpoch < epoch) { // epochs only move forward on the send side: packet numbers only grow
            sendKeyBytes = CipherState.rekey(sendKeyBytes);
            sendKey = new SecretKeySpec(sendKeyBytes, "AES");
            sendEpoch++;
        }
        if (epoch < sendEpoch) {
            throw new IllegalStateException("packet number " + pn + " is from an earlier key epoch; numbers never "
                    + "go back");
        }
        try {
            sealer.init(Cipher.ENCRYPT_MODE, sendKey, spec(pn));
            int n = crypt(sealer, buf, packetStart, payloadEnd);
            return packetStart + HEADER_BYTES + n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean open(ByteBuffer buf, int packetStart, int packetEnd) {
        if (buf == null || packetStart < 0 || packetEnd > buf.limit()
                || packetEnd - packetStart < HEADER_BYTES + TAG_BYTES) {
            return false;
        }
        long pn = packetNumber(buf, packetStart);
        long epoch = pn >>> epochBits;
        try {
            if (epoch == receiveEpoch) {
                return tryOpen(receiveKey, pn, buf, packetStart, packetEnd);
            }
            if (epoch + 1 == receiveEpoch) {
                return previousReceiveKey != null && tryOpen(previousReceiveKey, pn, buf, packetStart, packetEnd);
            }
            if (epoch > receiveEpoch && epoch - receiveEpoch <= MAX_EPOCH_JUMP) {
                int ahead = (int) (epoch - receiveEpoch); // 1..MAX_EPOCH_JUMP
                SecretKeySpec next = aheadKey(ahead);
                if (!tryOpen(next, pn, buf, packetStart, packetEnd)) {
                    return false; // a forged packet must not move our keys
                }
                previousReceiveKey = ahead == 1 ? receiveKey : aheadSpecs[ahead - 2];
                receiveKeyBytes = aheadBytes[ahead - 1];
                receiveKey = next;
                // Shift the cached keys of the epochs still ahead.
                for (int i = 0; i < MAX_EPOCH_JUMP; i++) {
                    int from = i + ahead;
                    aheadBytes[i] = from < MAX_EPOCH_JUMP ? aheadBytes[from] : null;
                    aheadSpecs[i] = from < MAX_EPOCH_JUMP ? aheadSpecs[from] : null;
                }
                epochsAdvanced += ahead;
                receiveEpoch = epoch;
                return true;
            }
            return false;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * A new cipher that seals exactly as this one does from its current send epoch on, with its own state, so that
     * sealing with it never moves this one's epochs. Package-private: keys never leave the engine; only the
     * engine's fuzz target uses it (through a test-tree helper in this package) to forge authenticated packets that
     * reach the frame parser (docs/FUZZING.md).
     */
    PacketCipher sendingTwin() {
        PacketCipher twin = new PacketCipher(sendKeyBytes, receiveKeyBytes, epochBits);
        twin.sendEpoch = sendEpoch;
        return twin;
    }

    /** The key of epoch {@code receiveEpoch + ahead}, derived on first use. */
    private SecretKeySpec aheadKey(int ahead) {
        for (int i = 0; i < ahead; i++) {
            if (aheadBytes[i] == null) {
                aheadBytes[i] = CipherState.rekey(i == 0 ? receiveKeyBytes : aheadBytes[i - 1]);
                aheadSpecs[i] = new SecretKeySpec(aheadBytes[i], "AES");
            }
        }
        return aheadSpecs[ahead - 1];
    }

    private boolean tryOpen(SecretKeySpec key, long pn, ByteBuffer buf, int start, int end)
            throws GeneralSecurityException {
        opener.init(Cipher.DECRYPT_MODE, key, spec(pn));
        try {
            crypt(opener, buf, start, end);
            return true;
        } catch (javax.crypto.AEADBadTagException e) {
            return false;
        }
    }

    /** Runs {@code c} over the body after the header, in place, with the header as associated data. */
    private int crypt(Cipher c, ByteBuffer buf, int start, int end) throws GeneralSecurityException {
        int body = start + HEADER_BYTES;
        if (buf.hasArray() && !buf.isReadOnly()) {
            byte[] a = buf.array();
            int base = buf.arrayOffset();
            c.updateAAD(a, base + start, HEADER_BYTES);
            return c.doFinal(a, base + body, end - body, a, base + body);
        }
        // A direct buffer (the drivers read into them) is copied through a heap array: the JDK's GHASH and AES
        // intrinsics take byte arrays, and its ByteBuffer path hashes block by block in Java (profiled at ~45% of
        // a small-item benchmark's CPU; the copy costs a few microseconds per 64 KB).
        int length = end - start;
        byte[] a = scratch(length + TAG_BYTES); // sealing appends the tag
        int savedPosition = buf.position();
        int savedLimit = buf.limit();
        try {
            buf.limit(end).position(start);
            buf.get(a, 0, length);
            c.updateAAD(a, 0, HEADER_BYTES);
            int n = c.doFinal(a, HEADER_BYTES, length - HEADER_BYTES, a, HEADER_BYTES);
            buf.limit(buf.capacity()).position(body);
            buf.put(a, HEADER_BYTES, n);
            return n;
        } finally {
            buf.limit(savedLimit);
            buf.position(savedPosition);
        }
    }

    /**
     * Seals and opens {@code rounds} small packets under a throw-away key, so the JIT compiles the JDK's AES-GCM
     * with its AES and GHASH intrinsics before real packets arrive. The intrinsics only replace a call from code
     * C2 has compiled; until then GHASH runs block by block in Java, which a short-lived sender (a CLI run moving
     * 1 GiB calls its GCM code ~16,000 times) measured at ~70% of its CPU. Call it from a background thread at
     * start-up; it uses no secret and no shared state.
     */
    public static void warmUp(int rounds) {
        byte[] key = new byte[32];
        PacketCipher a = new PacketCipher(key, key, DEFAULT_EPOCH_BITS);
        PacketCipher b = new PacketCipher(key, key, DEFAULT_EPOCH_BITS);
        ByteBuffer buf = ByteBuffer.allocate(HEADER_BYTES + 256 + TAG_BYTES);
        for (int pn = 0; pn < rounds; pn++) {
            buf.clear();
            buf.putInt(PACKET_NUMBER_OFFSET, pn);
            int end = a.seal(buf, 0, HEADER_BYTES + 256);
            b.open(buf, 0, end);
        }
    }

    /** One scratch array per thread (an engine runs on one thread), grown to the largest packet seen, 64 KiB. */
    private static byte[] scratch(int length) {
        byte[] a = SCRATCH.get();
        if (a.length < length) {
            a = new byte[Math.max(length, Math.min(2 * a.length, MAX_DATAGRAM_BYTES))];
            SCRATCH.set(a);
        }
        return a;
    }

    private GCMParameterSpec spec(long pn) {
        // 4 zero bytes, then the 64-bit counter; the top 4 bytes of the counter stay zero (32-bit packet numbers).
        nonce[8] = (byte) (pn >>> 24);
        nonce[9] = (byte) (pn >>> 16);
        nonce[10] = (byte) (pn >>> 8);
        nonce[11] = (byte) pn;
        return new GCMParameterSpec(128, nonce); // copies the nonce
    }

    private static long packetNumber(ByteBuffer buf, int start) {
        int i = start + PACKET_NUMBER_OFFSET;
        return ((buf.get(i) & 0xFFL) << 24) | ((buf.get(i + 1) & 0xFFL) << 16) | ((buf.get(i + 2) & 0xFFL) << 8)
                | (buf.get(i + 3) & 0xFFL);
    }
}
