package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Seeds;
import io.udpix.wire.AckFrame;
import io.udpix.wire.ChunkFrame;
import io.udpix.wire.Crc32cProtection;
import io.udpix.wire.HelloPacket;
import io.udpix.wire.OpenFrame;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A million random and mutated datagrams into a server engine while a real transfer runs beside them: nothing
 * throws, memory stays under the limits, every bad datagram is counted, and the real transfer completes intact.
 */
class HostileInputTest {
    static final int HOSTILE_DATAGRAMS = 1_000_000;
    static final int MAX_CONNECTIONS = 64;
    static final long MAX_REASSEMBLY_BYTES = 16L << 20;

    @Test
    void aMillionHostileDatagramsNeitherCrashNorDisturbARealTransfer() {
        long seed = Seeds.seedOrRandom();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] payload = new byte[3_000_000];
        random.nextBytes(payload);
        LinkSpec path = LinkSpec.builder().rateBitsPerSecond(50_000_000L).delayNs(5_000_000L).build();
        SimTransfer t = new SimTransfer(seed,
                EndpointConfig.builder().maxConnections(MAX_CONNECTIONS).maxReassemblyBytes(MAX_REASSEMBLY_BYTES)
                        .maxIncomingTransfers(8),
                EndpointConfig.builder(), path, path);
        Hostile attacker = new Hostile(random, t.serverAddress);
        InetSocketAddress attackerAddress = t.sim.newAddress();
        t.sim.attach(attackerAddress, attacker);
        t.sim.route(attackerAddress, t.serverAddress, t.sim.link(LinkSpec.perfect()));
        t.sim.route(t.serverAddress, attackerAddress, t.sim.link(LinkSpec.perfect()));
        // The attacker mutates real datagrams it sees on the path.
        t.sim.onSend((now, from, to, buf) -> attacker.observe(buf));
        long[] peakReassembly = new long[1];
        int[] peakConnections = new int[1];
        t.sim.onDeliver((now, from, to, buf) -> {
            peakReassembly[0] = Math.max(peakReassembly[0], t.server.reassemblyBytesInUse());
            peakConnections[0] = Math.max(peakConnections[0], t.server.connectionCount());
        });
        t.send(payload);
        RunResult r = t.sim.runUntil(() -> t.finished() && attacker.sent >= HOSTILE_DATAGRAMS, 600_000_000_000L);
        String context = Seeds.describe(seed) + " run=" + r + " server=" + t.server.stats() + " attacker sent="
                + attacker.sent + " events=" + t.clientEvents;
        assertThat(attacker.sent).as(context).isEqualTo(HOSTILE_DATAGRAMS);
        assertThat(t.server.stats().internalErrors()).as(context).isZero();
        assertThat(t.completed()).as(context).isTrue();
        assertThat(t.received).as(context).hasSize(1);
        assertThat(t.received.get(0)).as(context).isEqualTo(payload);
        assertThat(peakConnections[0]).as(context).isLessThanOrEqualTo(MAX_CONNECTIONS);
        assertThat(peakReassembly[0]).as(context).isLessThanOrEqualTo(MAX_REASSEMBLY_BYTES);
        assertThat(t.server.stats().totalDrops()).as(context).isGreaterThan(HOSTILE_DATAGRAMS / 2);
        EndpointEvent e;
        while ((e = t.server.pollEvent()) != null) {
            assertThat(e).isNotNull();
        }
    }

    /** Emits hostile datagrams, 200 per virtual millisecond, until it has sent a million. */
    static final class Hostile implements io.udpix.engine.SansIoEndpoint {
        private final SplittableRandom random;
        private final InetSocketAddress target;
        private final Crc32cProtection crc = new Crc32cProtection();
        private final byte[][] seen = new byte[64][];
        private int seenCount;
        private long nextNs;
        private int burst;
        int sent;

        Hostile(SplittableRandom random, InetSocketAddress target) {
            this.random = random;
            this.target = target;
        }

        void observe(ByteBuffer buf) {
            if (random.nextInt(16) == 0) {
                byte[] copy = new byte[buf.remaining()];
                buf.duplicate().get(copy);
                seen[seenCount++ % seen.length] = copy;
            }
        }

        @Override
        public void handleDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {}

        @Override
        public InetSocketAddress pollTransmit(ByteBuffer dst, long nowNs) {
            if (sent >= HOSTILE_DATAGRAMS || nowNs < nextNs) {
                return null;
            }
            if (++burst >= 200) {
                burst = 0;
                nextNs = nowNs + 1_000_000L;
            }
            dst.clear();
            int n = make(dst);
            dst.position(0).limit(n);
            sent++;
            return target;
        }

        private int make(ByteBuffer dst) {
            switch (random.nextInt(9)) {
                case 0 -> { // random bytes of random length
                    int n = random.nextInt(1500);
                    for (int i = 0; i < n; i++) {
                        dst.put(i, (byte) random.nextInt(256));
                    }
                    return n;
                }
                case 1 -> { // our magic, then garbage, some truncated below a header
                    int n = random.nextInt(64);
                    for (int i = 0; i < n; i++) {
                        dst.put(i, (byte) random.nextInt(256));
                    }
                    if (n >= 2) {
                        dst.putShort(0, (short) PacketHeader.MAGIC);
                    }
                    return n;
                }
                case 2 -> { // wrong versions
                    int n = PacketHeader.write(dst, 0, PacketType.DATA, random.nextLong(), random.nextInt() & 0x7FFF_FFFF);
                    dst.put(PacketHeader.VERSION_OFFSET, (byte) (2 + random.nextInt(250)));
                    return crc.seal(dst, 0, n + random.nextInt(100));
                }
                case 3 -> { // forged connection IDs with well-formed frames and a valid check
                    int off = PacketHeader.write(dst, 0, PacketType.DATA, random.nextLong(), random.nextInt(1 << 20));
                    off = ChunkFrame.writeHeader(dst, off, random.nextInt(4), random.nextLong() & Long.MAX_VALUE >>> 1,
                            100) + 100;
                    return crc.seal(dst, 0, off);
                }
                case 4 -> { // declared sizes up to 2^63 on a forged connection
                    int off = PacketHeader.write(dst, 0, PacketType.DATA, random.nextLong(), random.nextInt(1 << 20));
                    off = OpenFrame.encode(dst, off, random.nextInt(100), TransferKind.FILE, 0,
                            Long.MAX_VALUE - random.nextInt(1000), new byte[32], "application/octet-stream", "x.bin");
                    return crc.seal(dst, 0, off);
                }
                case 5 -> { // handshakes with forged cookies, and too small
                    int size = random.nextBoolean() ? 600 : 100 + random.nextInt(400);
                    byte[] cookie = new byte[24];
                    random.nextBytes(cookie);
                    if (size < HelloPacket.MIN_DATAGRAM_BYTES) {
                        PacketHeader.write(dst, 0, PacketType.HELLO, 0, 0);
                        return crc.seal(dst, 0, size - 4);
                    }
                    HelloPacket.encode(dst, 0, random.nextLong() | 1, 65_507, 1000, cookie, 24, size - 4);
                    return crc.seal(dst, 0, size - 4);
                }
                case 6 -> { // an ACK for packets never sent, on a forged connection
                    int off = PacketHeader.write(dst, 0, PacketType.DATA, random.nextLong(), 7);
                    AckFrame a = new AckFrame().wrap(dst, off).writeType();
                    a.largestAcknowledged(0xFFFF_FFFFL).ackDelayUs(random.nextInt() & 0x7FFF_FFFF).rangeCount(0).firstRange(1000);
                    return crc.seal(dst, 0, off + AckFrame.length(0));
                }
                default -> { // a real datagram seen on the path, mutated (flips, truncation, extension)
                    byte[] base = seenCount == 0 ? new byte[40] : seen[random.nextInt(Math.min(seenCount, seen.length))];
                    int n = Math.min(base.length, 65_000);
                    dst.put(0, base, 0, n);
                    int mutation = random.nextInt(3);
                    if (mutation == 0) {
                        for (int k = 0; k < 1 + random.nextInt(8); k++) {
                            int i = random.nextInt(Math.max(1, n));
                            dst.put(i, (byte) (dst.get(i) ^ (1 << random.nextInt(8))));
                        }
                        return n;
                    } else if (mutation == 1) {
                        return random.nextInt(Math.max(1, n));
                    }
                    int extra = random.nextInt(200);
                    for (int i = 0; i < extra && n + i < dst.capacity(); i++) {
                        dst.put(n + i, (byte) random.nextInt(256));
                    }
                    return Math.min(n + extra, dst.capacity());
                }
            }
        }

        @Override
        public long nextDeadlineNs() {
            return sent >= HOSTILE_DATAGRAMS ? Long.MAX_VALUE : nextNs;
        }

        @Override
        public void handleTimeout(long nowNs) {}

        @Override
        public io.udpix.engine.event.EndpointEvent pollEvent() {
            return null;
        }
    }
}
