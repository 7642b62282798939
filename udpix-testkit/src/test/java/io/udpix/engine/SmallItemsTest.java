package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Scenario;
import io.udpix.testkit.ScenarioRandom;
import io.udpix.testkit.Seeds;
import io.udpix.testkit.SimRandom;
import io.udpix.testkit.Simulator;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Small items (a JSON message, an image): an item that fits travels as OPEN + CHUNK + DIGEST in one datagram,
 * several share one when the path's datagrams are large, and the receiver's RESULTs ride on its ACKs. Counted in
 * the simulator's virtual time (deterministic): {@link SmallItemRun}. {@link #printsTheSmallItemTable()} prints the
 * table of docs/BENCHMARKS.md.
 */
class SmallItemsTest {
    static final long SEED = 20_261_202L;
    static final int KIB = 1024;
    /** Random paths for {@link #manySmallItemsArriveExactlyOnRandomPaths()}; each carries {@link #ITEMS_PER_PATH}. */
    static final int RANDOM_PATHS = 200;
    static final int ITEMS_PER_PATH = 24;
    static final long IDLE_TIMEOUT_NS = 30_000_000_000L;

    @Test
    void printsTheSmallItemTable() {
        SmallItemRun.print(SEED);
    }

    @Test
    void aSmallItemTravelsInOneDatagram() {
        for (boolean digestFollows : new boolean[] {false, true}) {
            SmallItemRun.Figures f = SmallItemRun.run("1200 B", SEED, 1, KIB, digestFollows, SmallItemRun.ethernet(),
                    SmallItemRun.ethernet(), 1200);

            assertThat(f.completed()).as("%s", f).isEqualTo(1);
            assertThat(f.exactDeliveries()).as("%s", f).isEqualTo(1);
            // OPEN + CHUNK (+ DIGEST when the hash follows the data) in the first datagram after the handshake, and
            // nothing else from the client until the RESULT confirmed it.
            assertThat(f.clientItemDatagrams()).as("client datagrams until confirmed: %s", f).isEqualTo(1);
            // Confirmed one round trip after the connection was established: no wait for the OPEN's
            // acknowledgement before the DIGEST, no credit round trip, no RESULT held back.
            assertThat(f.lastConfirmedRtts()).as("round trips: %s", f).isLessThan(1.05);
            assertThat(f.serverDatagrams()).as("the RESULT rides on the ACK: %s", f).isEqualTo(1);
        }
    }

    @Test
    void smallItemsShareADatagramWhenThePathTakesLargeOnes() {
        for (boolean digestFollows : new boolean[] {false, true}) {
            SmallItemRun.Figures f = SmallItemRun.run("64 KB", SEED, 100, KIB, digestFollows,
                    SmallItemRun.loopback(), SmallItemRun.loopback(), 65_507);

            assertThat(f.exactDeliveries()).as("%s", f).isEqualTo(100);
            // Eight items a datagram (a packet records at most eight transfers' frames), ACKs included.
            assertThat(f.clientPerItem()).as("client datagrams per item: %s", f).isLessThan(0.2);
        }
    }

    @Test
    void confirmationsOfManyItemsShareAcks() {
        SmallItemRun.Figures wide = SmallItemRun.run("64 KB", SEED, 100, KIB, true, SmallItemRun.loopback(),
                SmallItemRun.loopback(), 65_507);
        SmallItemRun.Figures narrow = SmallItemRun.run("1200 B", SEED, 100, KIB, true, SmallItemRun.ethernet(),
                SmallItemRun.ethernet(), 1200);

        assertThat(wide.completed()).as("%s", wide).isEqualTo(100);
        assertThat(narrow.completed()).as("%s", narrow).isEqualTo(100);
        assertThat(wide.serverPerItem()).as("receiver datagrams per item: %s", wide).isLessThan(0.5);
        // One item per 1200-byte datagram: the receiver acknowledges every second packet (RFC 9000 section 13.2.2)
        // and each ACK carries the RESULTs of the items completed since, about two; one RESULT a datagram was 1.08.
        assertThat(narrow.serverPerItem()).as("receiver datagrams per item: %s", narrow).isLessThan(0.56);
        // Batching never holds confirmations back for long: the 100 items are confirmed within the time the
        // link needs to carry them (100 x 1.2 KB at 100 Mbit/s is 10 ms, a fifth of a round trip) plus the
        // round trips of the congestion controller's start.
        assertThat(narrow.lastConfirmedRtts()).as("%s", narrow).isLessThan(3.5);
    }

    @Test
    void smallItemsCrossingBothWaysShareDatagramsWithTheirConfirmationsAndArriveExactly() {
        // This seed once refused an OPEN with TOO_MANY_TRANSFERS: the sender had freed the slot on the RESULT
        // while the receiver still counted the finished transfer until its RESULT was acknowledged.
        crossing(5_959_598_641_696_117_698L);
        crossing(Seeds.seedOrRandom());
    }

    private static void crossing(long seed) {
        LinkSpec lossy = LinkSpec.builder().rateMegabitsPerSecond(1000).delayMillis(5).mtuBytes(65_535)
                .lossProbability(0.05).reorder(0.05, 2_000_000).duplicateProbability(0.02).build();
        Simulator sim = new Simulator(seed);
        List<byte[]> atServer = new ArrayList<>();
        List<byte[]> atClient = new ArrayList<>();
        EndpointConfig.Builder config = EndpointConfig.builder().pathMtuDiscovery(false).maxDatagramBytes(65_507)
                .initialDatagramBytes(65_507);
        Endpoint server = new Endpoint(config.acceptConnections(true).seed(seed * 31 + 7).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), atServer::add));
        Endpoint client = new Endpoint(config.acceptConnections(false).seed(seed * 17 + 3).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), atClient::add));
        InetSocketAddress serverAddress = sim.newAddress();
        InetSocketAddress clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        sim.routeBoth(clientAddress, serverAddress, lossy, lossy);
        int items = 100;
        List<byte[]> fromClient = payloads(seed, items);
        List<byte[]> fromServer = payloads(~seed, items);
        int[] confirmed = new int[2];
        List<EndpointEvent> failures = new ArrayList<>();
        sim.onEvents(serverAddress, e -> {
            if (e instanceof ConnectionEstablished est) {
                for (int i = 0; i < items; i++) { // the server sends its items as soon as the client is there
                    server.send(est.connectionId(), request(i, fromServer.get(i), i % 2 == 0), sim.nowNs());
                }
            }
            count(e, confirmed, 1, failures);
        });
        sim.onEvents(clientAddress, e -> count(e, confirmed, 0, failures));
        long conn = client.connect(serverAddress, sim.nowNs());
        for (int i = 0; i < items; i++) {
            client.send(conn, request(i, fromClient.get(i), i % 2 == 1), sim.nowNs());
        }

        sim.runUntil(() -> confirmed[0] + confirmed[1] == 2 * items || !failures.isEmpty(), 600_000_000_000L);

        String context = Seeds.describe(seed) + " failures=" + failures + " client=" + client.stats() + " server="
                + server.stats();
        assertThat(failures).as(context).isEmpty();
        assertThat(confirmed).as(context).containsExactly(items, items);
        assertThat(client.stats().internalErrors() + server.stats().internalErrors()).as(context).isZero();
        assertThat(atServer).as(context).containsExactlyInAnyOrderElementsOf(fromClient);
        assertThat(atClient).as(context).containsExactlyInAnyOrderElementsOf(fromServer);
    }

    private static List<byte[]> payloads(long seed, int items) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            byte[] b = new byte[1 + random.nextInt(3 * KIB)];
            random.nextBytes(b);
            out.add(b);
        }
        return out;
    }

    private static TransferRequest request(int i, byte[] payload, boolean digestFollows) {
        return new TransferRequest(new TransferInfo(TransferKind.JSON, "m" + i + ".json", "application/json",
                payload.length, digestFollows ? null : SimTransfer.sha256(payload)), new ByteArraySource(payload));
    }

    /** Counts our confirmed sends (index {@code side}); any failure is kept. */
    private static void count(EndpointEvent e, int[] confirmed, int side, List<EndpointEvent> failures) {
        if (e instanceof TransferCompleted done && !done.incoming()) {
            confirmed[side]++;
        } else if (e instanceof TransferFailed) {
            failures.add(e);
        }
    }

    @Test
    void anOpenDeclaredLostAndThenAcknowledgedIsNotSentAgain() {
        // On this path an OPEN was declared lost, then a copy of it acknowledged; the transfer kept asking for its
        // OPEN, nothing wrote it, and the sender sent PING after PING (3.4 million datagrams in 120 s) while two
        // items never finished.
        long seed = -1_963_922_364_964_336_117L;
        SmallItemRun.Outcome o = randomPath(seed, 120_000_000_000L);

        assertThat(o.completed).as("%s", o.stats).isEqualTo(ITEMS_PER_PATH);
        assertThat(o.clientDatagrams).as("%s", o.stats).isLessThan(1_000);
    }

    /** {@link #ITEMS_PER_PATH} items of random small sizes over the random path of {@code seed}. */
    private static SmallItemRun.Outcome randomPath(long seed, long maxVirtualNs) {
        Scenario s = ScenarioRandom.generate(seed);
        SimRandom r = new SimRandom(seed ^ 0x5A11L);
        int[] sizes = new int[ITEMS_PER_PATH];
        boolean[] follows = new boolean[ITEMS_PER_PATH];
        int[] choices = {1, 100, 700, KIB, 1100, 1150, 1200, 1500, 4 * KIB, 32 * KIB, 40 * KIB};
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = choices[r.nextInt(choices.length)];
            follows[i] = r.chance(0.5);
        }
        sizes[r.nextInt(sizes.length)] = 0; // one empty item: OPEN and DIGEST without a CHUNK
        return SmallItemRun.run(seed, sizes, follows, s.clientToServer(), s.serverToClient(),
                EndpointConfig.builder().idleTimeoutNs(IDLE_TIMEOUT_NS).handshakeTimeoutNs(20_000_000_000L),
                maxVirtualNs);
    }

    @Test
    void manySmallItemsArriveExactlyOnRandomPaths() {
        Long fixed = Long.getLong(Seeds.PROPERTY);
        long base = fixed != null ? fixed : Seeds.seedOrRandom();
        int paths = fixed != null ? 1 : RANDOM_PATHS;
        int delivered = 0;
        for (int p = 0; p < paths; p++) {
            long seed = base + p;
            Scenario s = ScenarioRandom.generate(seed);
            SmallItemRun.Outcome o = randomPath(seed, RandomScenariosTest.HANG_LIMIT_NS);
            String context = s + "\n  " + o.stats + "\n  events=" + o.clientEvents;
            assertThat(o.completed + o.failed).as("hang; %s", context).isEqualTo(ITEMS_PER_PATH);
            assertThat(o.internalErrors).as("engine errors; %s", context).isZero();
            assertThat(o.wrongDeliveries).as("corrupt or repeated delivery; %s", context).isZero();
            assertThat(o.wrongConfirmations).as("confirmed with a wrong hash; %s", context).isZero();
            // Every confirmed item is at the receiver, exactly (a failed one may be there too: the RESULT was lost
            // with the path).
            assertThat(o.exactDeliveries).as("confirmed but not delivered; %s", context)
                    .isGreaterThanOrEqualTo(o.completed);
            if (o.failed > 0) {
                assertThat(s.hasPermanentCut()).as("failed without a permanent cut: %s; %s",
                        o.clientEvents.stream().filter(e -> e instanceof TransferFailed).findFirst().orElseThrow(),
                        context).isTrue();
            } else {
                delivered++;
            }
        }
        System.out.printf("small items on random paths from seed=%d: %d of %d paths delivered all %d items%n", base,
                delivered, paths, ITEMS_PER_PATH);
    }
}
