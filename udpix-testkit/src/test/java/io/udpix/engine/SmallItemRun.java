package io.udpix.engine;

import io.udpix.engine.event.ConnectionEstablished;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.Simulator;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Test support: N items of one size sent back to back on one connection through the simulator, counting the DATA
 * DATA datagrams each way and the round trips from
 * the connection's establishment to the first and the last confirmation, all in virtual time. Both ends know the
 * path's datagram size from the handshake on (no path MTU probes), so every DATA datagram counted is the items'.
 */
final class SmallItemRun {
    /** What one run measured. */
    record Figures(String label, int items, int itemBytes, boolean digestFollows, long clientItemDatagrams,
            long clientDatagrams, long serverDatagrams, double firstConfirmedRtts, double lastConfirmedRtts, int completed,
            int exactDeliveries, int failed) {
        /** Client datagrams up to the last confirmation: what carried the items (no trailing acknowledgement). */
        double clientItemPerItem() {
            return (double) clientItemDatagrams / items;
        }

        double clientPerItem() {
            return (double) clientDatagrams / items;
        }

        double serverPerItem() {
            return (double) serverDatagrams / items;
        }

        String row() {
            return String.format("| %-24s | %5d | %6d | %-6s | %9.2f | %9.2f | %9.2f | %8.2f | %8.2f |", label,
                    items, itemBytes, digestFollows ? "DIGEST" : "OPEN", clientItemPerItem(), clientPerItem(),
                    serverPerItem(),
                    firstConfirmedRtts, lastConfirmedRtts);
        }

        static String header() {
            return "| path                     | items |  bytes | sha in | C->S item | C->S/item | S->C/item | RTTs 1st |"
                    + " RTTs all |\n|---|---|---|---|---|---|---|---|---|";
        }
    }

    /** 100 Mbit/s, 25 ms each way, Ethernet MTU: a small item fits one datagram, two do not. */
    static LinkSpec ethernet() {
        return LinkSpec.builder().rateMegabitsPerSecond(100).delayMillis(25).mtuBytes(1500).build();
    }

    /** A loopback-like path: 10 Gbit/s, 50 us each way, 64 KiB datagrams once path MTU discovery found them. */
    static LinkSpec loopback() {
        return LinkSpec.builder().rateMegabitsPerSecond(10_000).delayNs(50_000).mtuBytes(65_535).build();
    }

    private SmallItemRun() {
    }

    /**
     * Sends {@code items} items of {@code itemBytes} random bytes (seeded) over {@code up}/{@code down}, all queued
     * when the connection is opened, and measures until every one ended plus one idle second for the last
     * acknowledgements.
     */
    static Figures run(String label, long seed, int items, int itemBytes, boolean digestFollows, LinkSpec up,
            LinkSpec down, int datagramBytes) {
        int[] sizes = new int[items];
        boolean[] follows = new boolean[items];
        Arrays.fill(sizes, itemBytes);
        Arrays.fill(follows, digestFollows);
        Outcome o = run(seed, sizes, follows, up, down, config(datagramBytes), 600_000_000_000L);
        long rttNs = up.delayNs() + down.delayNs();
        return new Figures(label, items, itemBytes, digestFollows, o.clientItemDatagrams, o.clientDatagrams,
                o.serverDatagrams, rtts(o.firstNs - o.establishedNs, rttNs), rtts(o.lastNs - o.establishedNs, rttNs),
                o.completed, o.exactDeliveries, o.failed);
    }

    /** What a run of items left behind. */
    static final class Outcome {
        final List<byte[]> payloads = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        final List<EndpointEvent> clientEvents = new ArrayList<>();
        long clientItemDatagrams;
        long clientDatagrams;
        long serverDatagrams;
        long establishedNs = -1;
        long firstNs = -1;
        long lastNs = -1;
        int completed;
        int failed;
        /** Received items equal to a sent one, each sent one counted once. */
        int exactDeliveries;
        /** Received items equal to no sent one, or to one already received. */
        int wrongDeliveries;
        /** Completions whose confirmed SHA-256 is not the one of the bytes sent. */
        int wrongConfirmations;
        long internalErrors;
        String stats = "";
    }

    /**
     * Sends one item per entry of {@code sizes} (random bytes; SHA-256 after the data where {@code follows} says
     * so), all queued when the connection is opened, over {@code up}/{@code down} with both ends configured by
     * {@code config}; runs until every item ended (or {@code maxVirtualNs}), then one idle second.
     */
    static Outcome run(long seed, int[] sizes, boolean[] follows, LinkSpec up, LinkSpec down,
            EndpointConfig.Builder config, long maxVirtualNs) {
        Outcome o = new Outcome();
        Simulator sim = new Simulator(seed);
        Endpoint server = new Endpoint(config.acceptConnections(true).seed(seed * 31 + 7).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), o.received::add));
        Endpoint client = new Endpoint(config.acceptConnections(false).seed(seed * 17 + 3).build(),
                SinkFactory.refuseAll());
        InetSocketAddress serverAddress = sim.newAddress();
        InetSocketAddress clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        sim.routeBoth(clientAddress, serverAddress, up, down);
        sim.onSend((nowNs, from, to, datagram) -> {
            int type = datagram.get(datagram.position() + PacketHeader.TYPE_OFFSET) & 0xFF;
            if (type == PacketType.DATA) { // DATA packets exist only once the handshake is done
                if (from.equals(clientAddress)) {
                    o.clientDatagrams++;
                } else {
                    o.serverDatagrams++;
                }
            }
        });
        sim.onEvents(clientAddress, (EndpointEvent e) -> {
            o.clientEvents.add(e);
            if (e instanceof ConnectionEstablished) {
                o.establishedNs = sim.nowNs();
            } else if (e instanceof TransferCompleted || e instanceof TransferFailed) {
                if (e instanceof TransferCompleted done) {
                    o.completed++;
                    byte[] sent = o.payloads.get(done.transferId());
                    if (!Arrays.equals(done.info().sha256(), SimTransfer.sha256(sent))) {
                        o.wrongConfirmations++;
                    }
                } else {
                    o.failed++;
                }
                if (o.firstNs < 0) {
                    o.firstNs = sim.nowNs();
                }
                o.lastNs = sim.nowNs();
                o.clientItemDatagrams = o.clientDatagrams;
            }
        });
        SplittableRandom random = new SplittableRandom(seed);
        long conn = client.connect(serverAddress, sim.nowNs());
        for (int i = 0; i < sizes.length; i++) {
            byte[] payload = new byte[sizes[i]];
            random.nextBytes(payload);
            o.payloads.add(payload);
            int id = client.send(conn, new TransferRequest(new TransferInfo(TransferKind.JSON, "item-" + i + ".json",
                    "application/json", payload.length, follows[i] ? null : SimTransfer.sha256(payload)),
                    new ByteArraySource(payload)), sim.nowNs());
            if (id != i) {
                throw new IllegalStateException("transfer ids are expected to count from 0, got " + id + " for " + i);
            }
        }
        sim.runUntil(() -> o.completed + o.failed == sizes.length, maxVirtualNs);
        sim.runFor(1_000_000_000L);
        boolean[] taken = new boolean[sizes.length];
        for (byte[] got : o.received) {
            int match = -1;
            for (int i = 0; i < sizes.length && match < 0; i++) {
                if (!taken[i] && Arrays.equals(got, o.payloads.get(i))) {
                    match = i;
                }
            }
            if (match < 0) {
                o.wrongDeliveries++;
            } else {
                taken[match] = true;
                o.exactDeliveries++;
            }
        }
        o.internalErrors = client.stats().internalErrors() + server.stats().internalErrors();
        o.stats = "client=" + client.stats() + "\n  server=" + server.stats();
        return o;
    }

    private static EndpointConfig.Builder config(int datagramBytes) {
        return EndpointConfig.builder().pathMtuDiscovery(false).maxDatagramBytes(Math.max(datagramBytes, 1200))
                .initialDatagramBytes(datagramBytes);
    }

    private static double rtts(long ns, long rttNs) {
        return ns < 0 ? Double.NaN : (double) ns / rttNs;
    }

    /** The table of docs/BENCHMARKS.md's small-item section, one row per case. */
    static List<Figures> table(long seed) {
        List<Figures> rows = new ArrayList<>();
        for (boolean follows : new boolean[] {false, true}) {
            for (int bytes : new int[] {1024, 32 * 1024}) {
                for (int n : new int[] {1, 100}) {
                    rows.add(run("100 Mbit/s 50 ms, 1200 B", seed, n, bytes, follows, ethernet(), ethernet(), 1200));
                }
            }
            for (int bytes : new int[] {1024, 32 * 1024}) {
                for (int n : new int[] {1, 100}) {
                    rows.add(run("10 Gbit/s 0.1 ms, 64 KB", seed, n, bytes, follows, loopback(), loopback(), 65_507));
                }
            }
        }
        return rows;
    }

    /** Prints the table (run from a test). */
    static void print(long seed) {
        System.out.println("small items, seed=" + seed + " (virtual time; datagrams are DATA packets after the "
                + "handshake until the last confirmation and 1 s after; path MTU known, no probes)");
        System.out.println(Figures.header());
        for (Figures f : table(seed)) {
            System.out.println(f.row() + (f.exactDeliveries() == f.items() ? "" : " NOT EXACT: " + f));
        }
    }
}
