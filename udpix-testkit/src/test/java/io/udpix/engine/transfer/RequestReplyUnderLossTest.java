package io.udpix.engine.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.Endpoint;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.ItemExtensions;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Simulator;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Requests and their replies on one connection through the simulator's lossy, reordering, duplicating paths: the
 * client's {@link ReplyMatcher} takes exactly one reply per request, byte-exact and matched by REPLY_TO, and
 * refuses what the server pushes unasked.
 */
class RequestReplyUnderLossTest {
    private static final int SEEDS = 24;
    private static final int REQUESTS = 12;
    private static final long MAX_VIRTUAL_NS = 300_000_000_000L;

    @Test
    void everyRequestGetsItsOwnReplyByteExactUnderLossAndReordering() {
        String one = System.getProperty("udpix.seed");
        if (one != null && !one.isBlank()) {
            runSeed(Long.parseLong(one.strip()));
            return;
        }
        // -Dudpix.seeds=N -Dudpix.baseSeed=B runs N seeds from B (a longer search than the CI run's).
        int seeds = Integer.getInteger("udpix.seeds", SEEDS);
        long base = Long.getLong("udpix.baseSeed", 20261202L);
        for (int i = 0; i < seeds; i++) {
            runSeed(base + i);
        }
    }

    private static void runSeed(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        LinkSpec link = LinkSpec.builder().rateMegabitsPerSecond(20).delayMillis(5 + random.nextInt(40))
                .jitterNs(random.nextInt(2_000_000)).lossProbability(0.02 + random.nextDouble() * 0.08)
                .reorder(0.05, 3_000_000).duplicateProbability(0.01).mtuBytes(1500).build();
        Simulator sim = new Simulator(seed);
        EndpointConfig.Builder config = EndpointConfig.builder();
        // Server: keeps each request's bytes by transfer id, answers when it completed.
        Map<Integer, byte[]> serverGot = new HashMap<>();
        Endpoint server = new Endpoint(config.acceptConnections(true).seed(seed * 31 + 7).build(),
                new SinkFactory() {
                    @Override
                    public TransferSink open(long connectionId, InetSocketAddress peer, TransferInfo info) {
                        throw new AssertionError("the engine names the transfer");
                    }

                    @Override
                    public TransferSink open(long connectionId, int transferId, InetSocketAddress peer,
                            TransferInfo info) {
                        return new MemorySink(info.sizeBytes(), bytes -> serverGot.put(transferId, bytes));
                    }
                });
        // Client: replies collected by request id.
        Map<Integer, List<byte[]>> replies = new HashMap<>();
        Map<Integer, Map<String, String>> replyMeta = new HashMap<>();
        ReplyMatcher matcher = new ReplyMatcher(64, 1 << 20, (connectionId, requestId, info) -> {
            replyMeta.put(requestId, info.extensions().meta());
            return new MemorySink(info.sizeBytes(),
                    bytes -> replies.computeIfAbsent(requestId, k -> new ArrayList<>()).add(bytes));
        });
        Endpoint client = new Endpoint(config.acceptConnections(false).seed(seed * 17 + 3).build(), matcher);
        InetSocketAddress serverAddress = sim.newAddress();
        InetSocketAddress clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        sim.routeBoth(clientAddress, serverAddress, link, link);

        int[] serverOutgoingEnded = {0};
        List<Integer> pushRefusals = new ArrayList<>();
        sim.onEvents(serverAddress, (EndpointEvent e) -> {
            if (e instanceof ConnectionEstablished c) {
                // A hostile server pushes two items nobody asked for: no REPLY_TO, and a REPLY_TO naming no
                // request of this connection.
                long conn = c.connectionId();
                sim.addTask(sim.nowNs(), () -> {
                    server.send(conn, request("push-1", new byte[2_000], ItemExtensions.NONE), sim.nowNs());
                    server.send(conn, request("push-2", new byte[3_000], ItemExtensions.NONE.withReplyTo(9_999)),
                            sim.nowNs());
                });
            } else if (e instanceof TransferCompleted t && t.incoming()) {
                byte[] got = serverGot.remove(t.transferId());
                if (t.info().extensions().replyWanted()) {
                    byte[] answer = answer(got);
                    long conn = t.connectionId();
                    sim.addTask(sim.nowNs(), () -> server.send(conn, request("reply-" + t.transferId(), answer,
                            ItemExtensions.NONE.withReplyTo(Integer.toUnsignedLong(t.transferId()))
                                    .withMeta(Map.of("for", t.info().name()))), sim.nowNs()));
                }
            } else if (e instanceof TransferFailed f && !f.incoming()) {
                serverOutgoingEnded[0]++;
                pushRefusals.add(f.errorCode());
            } else if (e instanceof TransferCompleted t && !t.incoming()) {
                serverOutgoingEnded[0]++;
            }
        });
        int[] confirmed = {0};
        sim.onEvents(clientAddress, (EndpointEvent e) -> {
            if (e instanceof TransferCompleted t && !t.incoming()) {
                confirmed[0]++;
            }
        });

        long conn = client.connect(serverAddress, sim.nowNs());
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            byte[] payload = new byte[i % 4 == 3 ? 40_000 + random.nextInt(60_000) : random.nextInt(3_000)];
            random.nextBytes(payload);
            sent.add(payload);
            int id = client.send(conn, request("request-" + i, payload, ItemExtensions.NONE.withReplyWanted()
                    .withMeta(Map.of("n", String.valueOf(i)))), sim.nowNs());
            assertThat(id).as("seed=%d", seed).isEqualTo(i);
            assertThat(matcher.expect(conn, id)).isTrue();
        }
        sim.runUntil(() -> replies.size() == REQUESTS && serverOutgoingEnded[0] == REQUESTS + 2, MAX_VIRTUAL_NS);
        sim.runFor(1_000_000_000L);

        String why = "seed=" + seed + " (re-run: -Dudpix.seed=" + seed + "), link " + link;
        assertThat(confirmed[0]).as(why).isEqualTo(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(replies.get(i)).as(why + ", request " + i).hasSize(1);
            assertThat(Arrays.equals(replies.get(i).get(0), answer(sent.get(i)))).as(why + ", reply " + i + " exact")
                    .isTrue();
            assertThat(replyMeta.get(i)).as(why).containsEntry("for", "request-" + i);
        }
        assertThat(matcher.waitingCount()).as(why).isZero();
        assertThat(matcher.refusedUnsolicited()).as(why).isEqualTo(2);
        assertThat(pushRefusals).as(why).containsExactly(ErrorCode.REFUSED, ErrorCode.REFUSED);
    }

    /** The server's answer to {@code request}: its SHA-256, then its bytes reversed. */
    private static byte[] answer(byte[] request) {
        byte[] out = new byte[32 + request.length];
        System.arraycopy(sha256(request), 0, out, 0, 32);
        for (int i = 0; i < request.length; i++) {
            out[32 + i] = request[request.length - 1 - i];
        }
        return out;
    }

    private static TransferRequest request(String name, byte[] payload, ItemExtensions extensions) {
        return new TransferRequest(new TransferInfo(TransferKind.BYTES, name, "application/octet-stream",
                payload.length, sha256(payload), extensions), new ByteArraySource(payload));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
