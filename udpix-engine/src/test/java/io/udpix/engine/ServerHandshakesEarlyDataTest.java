package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.transfer.SinkFactory;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * DATA that reaches the server before the handshake's FINISH (lost or overtaken) is kept, a bounded few per
 * half-open handshake and per address, and read right after FINISH (RFC 9001 section 4.1.4): a lost FINISH does
 * not cost the client's first flight, and a hostile peer cannot use the buffer beyond its share.
 */
class ServerHandshakesEarlyDataTest {
    private static final long RTT_NS = 10_000_000L; // MiniNet: 5 ms each way

    private static boolean isFinish(MiniNet.Seen s) {
        return (s.bytes()[PacketHeader.TYPE_OFFSET] & 0xFF) == PacketType.FINISH;
    }

    /** An item sent over a fresh connection whose first FINISH is lost: when each FINISH went, when it completed. */
    private record LostFinish(SecureTransportTest.Run run, List<Long> finishSentNs, long completedNs) {
        String context() {
            return run.context() + " finishes at " + finishSentNs + " completed at " + completedNs;
        }
    }

    private static LostFinish sendWithTheFirstFinishLost(long seed) throws Exception {
        SecureTransportTest.Run r = new SecureTransportTest.Run(seed, 30_000, EndpointConfig.builder(),
                EndpointConfig.builder());
        int[] finishes = {0};
        r.net.drop = s -> isFinish(s) && finishes[0]++ == 0;
        r.send("a.bin");
        long[] completedNs = {-1};
        assertThat(r.runToOutcome(run -> {
            if (completedNs[0] < 0 && run.outcomes() > 0) {
                completedNs[0] = run.net.nowNs();
            }
        })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        List<Long> finishSentNs = new ArrayList<>();
        for (MiniNet.Seen s : r.net.seen) {
            if (isFinish(s)) {
                finishSentNs.add(s.atNs());
            }
        }
        assertThat(finishSentNs).as(r.context()).hasSizeGreaterThanOrEqualTo(2);
        return new LostFinish(r, finishSentNs, completedNs[0] < 0 ? r.net.nowNs() : completedNs[0]);
    }

    @Test
    void aLostFinishDoesNotCostTheFirstFlightTheItemCompletesOneRoundTripAfterTheResentFinish() throws Exception {
        LostFinish f = sendWithTheFirstFinishLost(41);
        // The first flight waited at the server and was read with the resent FINISH: nothing of it was dropped,
        // and the RESULT came back a round trip (plus the RESULT's short wait for an ACK to share) later.
        assertThat(f.run().server.stats().drops(DropReason.BEFORE_FINISH)).as(f.context()).isZero();
        assertThat(f.completedNs() - f.finishSentNs().get(1)).as(f.context()).isLessThanOrEqualTo(2 * RTT_NS);
        assertThat(f.run().server.earlyDataBytes()).as("the buffer is freed; " + f.context()).isZero();
    }

    @Test
    void aSecondFinishFollowsHalfARoundTripLaterSoALoneLostFinishCostsLittle() throws Exception {
        LostFinish f = sendWithTheFirstFinishLost(43);
        // The second copy goes half an RTT after the first, not after a resend timeout of 2 RTT (at least 50 ms).
        assertThat(f.finishSentNs().get(1) - f.finishSentNs().get(0)).as(f.context())
                .isLessThanOrEqualTo(RTT_NS / 2 + 1_000_000L);
        assertThat(f.completedNs() - f.finishSentNs().get(0)).as(f.context()).isLessThan(3 * RTT_NS);
    }

    @Test
    void aHostilePeerCannotKeepMoreThanItsShareBeforeFinishAndAnotherAddressStillGetsItsFirstFlightKept()
            throws Exception {
        long seed = 42;
        SecureTransportTest.Run r = new SecureTransportTest.Run(seed, 30_000, EndpointConfig.builder(),
                EndpointConfig.builder());
        // Ten connections from one hostile address whose FINISHes never arrive: each half-open stays open.
        int hostileCount = 10;
        List<InetSocketAddress> hostile = new ArrayList<>();
        for (int i = 0; i < hostileCount; i++) {
            InetSocketAddress a = new InetSocketAddress("10.0.0.66", 50_000 + i);
            Endpoint e = new Endpoint(EndpointConfig.builder().seed(seed + 100 + i).build(), SinkFactory.refuseAll());
            r.net.attach(a, e);
            e.connect(SecureTransportTest.SERVER, r.net.nowNs());
            hostile.add(a);
        }
        // Their own packets after ACCEPT (FINISH and any DATA) never arrive: only the injected ones below do.
        r.net.drop = s -> hostile.contains(s.from()) && !isHello(s);
        r.net.runUntil(() -> finishesSeen(r.net) == hostileCount, r.net.nowNs() + 1_000_000_000L);
        assertThat(r.server.halfOpenCount()).as(r.context()).isEqualTo(hostileCount);

        // Each sends 60 datagrams of 1400 bytes naming its half-open handshake (the id its FINISH carries).
        int perHalfOpen = 60;
        int sizeBytes = 1400;
        SplittableRandom random = new SplittableRandom(seed);
        List<Long> ids = new ArrayList<>();
        for (MiniNet.Seen s : r.net.seen) {
            long id = new PacketHeader().wrap(ByteBuffer.wrap(s.bytes()), 0).connectionId();
            if (isFinish(s) && hostile.contains(s.from()) && !ids.contains(id)) {
                ids.add(id);
                for (int k = 0; k < perHalfOpen; k++) {
                    byte[] data = new byte[sizeBytes];
                    random.nextBytes(data);
                    System.arraycopy(s.bytes(), 0, data, 0, PacketHeader.LENGTH);
                    data[PacketHeader.TYPE_OFFSET] = (byte) PacketType.DATA;
                    r.net.inject(s.from(), SecureTransportTest.SERVER, data);
                }
            }
        }
        assertThat(ids).hasSize(hostileCount);
        long before = r.server.stats().drops(DropReason.BEFORE_FINISH);
        r.net.runUntil(() -> false, r.net.nowNs() + RTT_NS);
        String context = r.context() + " kept=" + r.server.earlyDataBytes();
        int offered = hostileCount * perHalfOpen;
        int keptDatagrams = r.server.earlyDataBytes() / sizeBytes;
        assertThat(r.server.earlyDataBytes()).as(context)
                .isLessThanOrEqualTo(ServerHandshakes.MAX_EARLY_BYTES_PER_ADDRESS)
                .isGreaterThan(ServerHandshakes.MAX_EARLY_BYTES_PER_ADDRESS - sizeBytes)
                .isEqualTo(keptDatagrams * sizeBytes);
        assertThat(r.server.earlyDataBytes(hostile.get(0).getAddress())).as("all of it the hostile address's share; "
                + context).isEqualTo(r.server.earlyDataBytes());
        assertThat(r.server.stats().drops(DropReason.BEFORE_FINISH) - before).as("every other one counted; " + context)
                .isEqualTo(offered - keptDatagrams);

        // An honest client at another address whose first FINISH is lost: its first flight is kept all the same.
        int[] finishes = {0};
        r.net.drop = s -> hostile.contains(s.from()) && !isHello(s)
                || s.from().equals(SecureTransportTest.CLIENT) && isFinish(s) && finishes[0]++ == 0;
        long droppedBefore = r.server.stats().drops(DropReason.BEFORE_FINISH);
        r.send("a.bin");
        assertThat(r.runToOutcome(run -> { })).as(r.context()).isTrue();
        r.assertDeliveredExactly();
        assertThat(finishes[0]).as(r.context()).isGreaterThanOrEqualTo(2);
        assertThat(r.server.stats().drops(DropReason.BEFORE_FINISH) - droppedBefore)
                .as("none of the honest client's first flight dropped; " + r.context()).isZero();
    }

    @Test
    void whatAHalfOpenHandshakeKeepsIsFreedAndCountedWhenItExpires() {
        long seed = 43;
        SecureTransportTest.Run r = new SecureTransportTest.Run(seed, 10, EndpointConfig.builder(),
                EndpointConfig.builder().handshakeTimeoutNs(1_000_000_000L));
        // After its HELLO nothing of the client's arrives (no FINISH, none of its own DATA): only what we inject.
        r.net.drop = s -> s.from().equals(SecureTransportTest.CLIENT) && !isHello(s);
        r.connection = r.client.connect(SecureTransportTest.SERVER, r.net.nowNs());
        r.net.runUntil(() -> finishesSeen(r.net) == 1, r.net.nowNs() + 1_000_000_000L);
        byte[] finish = null;
        for (MiniNet.Seen s : r.net.seen) {
            if (isFinish(s)) {
                finish = s.bytes();
                break;
            }
        }
        assertThat(finish).as(r.context()).isNotNull();
        for (int k = 0; k < 3; k++) {
            byte[] data = new byte[1200];
            System.arraycopy(finish, 0, data, 0, PacketHeader.LENGTH);
            data[PacketHeader.TYPE_OFFSET] = (byte) PacketType.DATA;
            r.net.inject(SecureTransportTest.CLIENT, SecureTransportTest.SERVER, data);
        }
        r.net.runUntil(() -> r.server.earlyDataBytes() == 3 * 1200, r.net.nowNs() + RTT_NS);
        assertThat(r.server.earlyDataBytes()).as(r.context()).isEqualTo(3 * 1200);
        long before = r.server.stats().drops(DropReason.BEFORE_FINISH);
        // The server's half-open lifetime is twice its own handshake timeout (10 s by default).
        r.net.runUntil(() -> r.server.halfOpenCount() == 0, r.net.nowNs() + 60_000_000_000L);
        assertThat(r.server.halfOpenCount()).as(r.context()).isZero();
        assertThat(r.server.earlyDataBytes()).as(r.context()).isZero();
        assertThat(r.server.stats().drops(DropReason.BEFORE_FINISH) - before).as(r.context()).isEqualTo(3);
    }

    @Test
    void dataFromAnAddressThatGotOnlyARetryIsNeverKept() {
        long seed = 44;
        // maxHalfOpen 1: every HELLO without a cookie gets a stateless RETRY first (above half of the table).
        SecureTransportTest.Run r = new SecureTransportTest.Run(seed, 10, EndpointConfig.builder().maxHalfOpen(1),
                EndpointConfig.builder());
        r.net.drop = s -> s.from().equals(SecureTransportTest.CLIENT) && !isHello(s);
        r.connection = r.client.connect(SecureTransportTest.SERVER, r.net.nowNs());
        r.net.runUntil(() -> r.server.stats().retriesSent() > 0, r.net.nowNs() + 1_000_000_000L);
        assertThat(r.server.stats().retriesSent()).as(r.context()).isPositive();
        assertThat(r.server.halfOpenCount()).as(r.context()).isZero();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] hello = r.first(SecureTransportTest.CLIENT, PacketType.HELLO).bytes();
        for (int k = 0; k < 5; k++) {
            byte[] data = new byte[1200];
            random.nextBytes(data);
            System.arraycopy(hello, 0, data, 0, PacketHeader.LENGTH);
            data[PacketHeader.TYPE_OFFSET] = (byte) PacketType.DATA;
            r.net.inject(SecureTransportTest.CLIENT, SecureTransportTest.SERVER, data);
        }
        long unknown = r.server.stats().drops(DropReason.UNKNOWN_CONNECTION);
        r.net.runUntil(() -> false, r.net.nowNs() + RTT_NS);
        assertThat(r.server.stats().drops(DropReason.UNKNOWN_CONNECTION) - unknown).as(r.context()).isEqualTo(5);
        assertThat(r.server.stats().drops(DropReason.BEFORE_FINISH)).as(r.context()).isZero();
        assertThat(r.server.earlyDataBytes()).as(r.context()).isZero();
    }

    /** FINISH datagrams sent so far (dropped or not). */
    private static long finishesSeen(MiniNet net) {
        return net.seen.stream().filter(ServerHandshakesEarlyDataTest::isFinish).count();
    }

    private static boolean isHello(MiniNet.Seen s) {
        return (s.bytes()[PacketHeader.TYPE_OFFSET] & 0xFF) == PacketType.HELLO;
    }
}
