package io.udpix.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** DATA packet AEAD: Noise-compatible explicit nonces, header authenticated, key epochs, heap and direct buffers. */
class PacketCipherTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    private static ByteBuffer packet(ByteBuffer buf, long pn, byte[] body) {
        buf.clear();
        buf.put(0, new byte[] {0x55, 0x58, 2, 0x10, 1, 2, 3, 4, 5, 6, 7, 8});
        buf.putInt(12, (int) pn);
        buf.put(16, body);
        return buf;
    }

    @Test
    void aSealedPacketIsTheNoiseCiphertextAtNoncePacketNumberWithTheHeaderAsAssociatedData() throws Exception {
        byte[] k = key();
        byte[] body = "Ludwig von Mises".getBytes();
        ByteBuffer buf = packet(ByteBuffer.allocate(256), 7, body);
        byte[] header = new byte[16];
        buf.get(0, header);
        int end = new PacketCipher(k, key(), 22).seal(buf, 0, 16 + body.length);
        CipherState cs = new CipherState();
        cs.initializeKey(k);
        for (int i = 0; i < 7; i++) {
            cs.encryptWithAd(header, new byte[0]); // advance the implicit nonce to 7
        }
        byte[] expected = cs.encryptWithAd(header, body);
        byte[] sealed = new byte[end - 16];
        buf.get(16, sealed);
        assertThat(sealed).isEqualTo(expected);
    }

    @Test
    void opensWhatThePeerSealedInAnyOrderInHeapAndDirectBuffers() {
        byte[] a = key();
        byte[] b = key();
        PacketCipher sender = new PacketCipher(a, b, 22);
        PacketCipher receiver = new PacketCipher(b, a, 22);
        for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocate(2048), ByteBuffer.allocateDirect(2048)}) {
            byte[] body = new byte[1400];
            RANDOM.nextBytes(body);
            for (long pn : new long[] {5, 3, 9}) {
                packet(buf, pn, body);
                int end = sender.seal(buf, 0, 16 + body.length);
                assertThat(end).isEqualTo(16 + body.length + 16);
                assertThat(receiver.open(buf, 0, end)).isTrue();
                byte[] opened = new byte[body.length];
                buf.get(16, opened);
                assertThat(opened).isEqualTo(body);
            }
        }
    }

    @Test
    void aFullSizeDatagramSealedInADirectBufferOpensInAHeapOneAndBack() {
        byte[] a = key();
        byte[] b = key();
        PacketCipher sender = new PacketCipher(a, b, 22);
        PacketCipher receiver = new PacketCipher(b, a, 22);
        byte[] body = new byte[65_507 - 16 - 16];
        RANDOM.nextBytes(body);
        ByteBuffer direct = ByteBuffer.allocateDirect(65_536);
        ByteBuffer heap = ByteBuffer.allocate(65_536);
        long pn = 1;
        for (ByteBuffer[] pair : new ByteBuffer[][] {{direct, heap}, {heap, direct}, {direct, direct}}) {
            packet(pair[0], pn, body);
            int end = sender.seal(pair[0], 0, 16 + body.length);
            assertThat(end).isEqualTo(65_507);
            byte[] wire = new byte[end];
            pair[0].get(0, wire);
            pair[1].clear();
            pair[1].put(0, wire);
            assertThat(receiver.open(pair[1], 0, end)).isTrue();
            byte[] opened = new byte[body.length];
            pair[1].get(16, opened);
            assertThat(opened).isEqualTo(body);
            pn++;
        }
    }

    @Test
    void aFlippedBitAnywhereFailsToOpen() {
        byte[] a = key();
        PacketCipher sender = new PacketCipher(a, a, 22);
        byte[] body = new byte[64];
        ByteBuffer buf = ByteBuffer.allocate(256);
        for (int bit = 0; bit < (16 + 64 + 16) * 8; bit += 7) {
            packet(buf, 1000 + bit, body);
            int end = sender.seal(buf, 0, 16 + body.length);
            int i = bit / 8;
            buf.put(i, (byte) (buf.get(i) ^ (1 << (bit % 8))));
            assertThat(new PacketCipher(a, a, 22).open(buf, 0, end)).as("bit %d", bit).isFalse();
        }
    }

    @Test
    void keysUpdateEveryEpochAndTheReceiverKeepsThePreviousEpochForLatePackets() {
        byte[] a = key();
        byte[] b = key();
        PacketCipher sender = new PacketCipher(a, b, 3); // 8 packets per epoch
        PacketCipher receiver = new PacketCipher(b, a, 3);
        ByteBuffer buf = ByteBuffer.allocate(256);
        byte[] body = new byte[40];
        byte[][] sealed = new byte[40][];
        for (int pn = 0; pn < 40; pn++) {
            packet(buf, pn, body);
            int end = sender.seal(buf, 0, 16 + body.length);
            sealed[pn] = Arrays.copyOf(buf.array(), end);
        }
        for (int pn = 0; pn < 40; pn++) {
            if (pn % 8 == 7) {
                continue; // the last packet of every epoch arrives late
            }
            assertThat(receiver.open(ByteBuffer.wrap(sealed[pn].clone()), 0, sealed[pn].length)).as("pn %d", pn)
                    .isTrue();
            if (pn % 8 == 1 && pn > 8) {
                byte[] late = sealed[pn - 2];
                assertThat(receiver.open(ByteBuffer.wrap(late.clone()), 0, late.length)).as("late pn %d", pn - 2)
                        .isTrue();
            }
        }
        assertThat(receiver.receiveEpochsAdvanced()).isEqualTo(4);
        // Two epochs back is gone.
        assertThat(receiver.open(ByteBuffer.wrap(sealed[2].clone()), 0, sealed[2].length)).isFalse();
        // An epoch sealed under a different key does not move the receiver forward.
        PacketCipher forger = new PacketCipher(key(), key(), 3);
        packet(buf, 40, body);
        int end = forger.seal(buf, 0, 16 + body.length);
        assertThat(receiver.open(buf, 0, end)).isFalse();
        assertThat(receiver.receiveEpochsAdvanced()).isEqualTo(4);
    }

    @Test
    void aReceiverThatMissedAWholeEpochCatchesUpAndStillOpensLatePacketsOfThePreviousOne() {
        byte[] a = key();
        PacketCipher sender = new PacketCipher(a, a, 3);
        PacketCipher receiver = new PacketCipher(a, a, 3);
        ByteBuffer buf = ByteBuffer.allocate(256);
        byte[] body = new byte[20];
        byte[][] sealed = new byte[20][];
        for (int pn = 0; pn < 20; pn++) {
            packet(buf, pn, body);
            sealed[pn] = Arrays.copyOf(buf.array(), sender.seal(buf, 0, 16 + body.length));
        }
        assertThat(receiver.open(ByteBuffer.wrap(sealed[0].clone()), 0, sealed[0].length)).isTrue();
        assertThat(receiver.open(ByteBuffer.wrap(sealed[17].clone()), 0, sealed[17].length)).as("two epochs on")
                .isTrue();
        assertThat(receiver.receiveEpochsAdvanced()).isEqualTo(2);
        assertThat(receiver.open(ByteBuffer.wrap(sealed[12].clone()), 0, sealed[12].length)).as("late, epoch 1")
                .isTrue();
        assertThat(receiver.open(ByteBuffer.wrap(sealed[3].clone()), 0, sealed[3].length)).as("epoch 0 is gone")
                .isFalse();
    }
}
