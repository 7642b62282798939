package io.udpix.engine;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.engine.event.TransferInfo;
import io.udpix.engine.transfer.ByteArraySource;
import io.udpix.engine.transfer.MemorySink;
import io.udpix.engine.transfer.SinkFactory;
import io.udpix.engine.transfer.TransferRequest;
import io.udpix.testkit.LinkSpec;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Simulator;
import io.udpix.wire.TransferKind;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Test support: one client sending one in-memory item to one server through the simulator. */
final class SimTransfer {
    final Simulator sim;
    final Endpoint server;
    final Endpoint client;
    final InetSocketAddress serverAddress;
    final InetSocketAddress clientAddress;
    final List<byte[]> received = new ArrayList<>();
    final List<EndpointEvent> clientEvents = new ArrayList<>();
    final List<EndpointEvent> serverEvents = new ArrayList<>();
    final io.udpix.testkit.LinkPair links;
    long outcomeNs = -1;

    SimTransfer(long seed, EndpointConfig.Builder serverConfig, EndpointConfig.Builder clientConfig, LinkSpec up,
            LinkSpec down) {
        sim = new Simulator(seed);
        server = new Endpoint(serverConfig.acceptConnections(true).seed(seed * 31 + 7).build(),
                (id, peer, info) -> new MemorySink(info.sizeBytes(), received::add));
        client = new Endpoint(clientConfig.seed(seed * 17 + 3).build(), SinkFactory.refuseAll());
        serverAddress = sim.newAddress();
        clientAddress = sim.newAddress();
        sim.attach(serverAddress, server);
        sim.attach(clientAddress, client);
        links = sim.routeBoth(clientAddress, serverAddress, up, down);
        sim.onEvents(clientAddress, e -> {
            clientEvents.add(e);
            if ((e instanceof TransferCompleted || e instanceof TransferFailed) && outcomeNs < 0) {
                outcomeNs = sim.nowNs();
            }
        });
        sim.onEvents(serverAddress, serverEvents::add);
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Connects and queues {@code payload}; returns the client's connection ID. */
    long send(byte[] payload) {
        return send(payload, false);
    }

    /** Connects and queues {@code payload}, its SHA-256 in the OPEN or, with {@code digestFollows}, after it. */
    long send(byte[] payload, boolean digestFollows) {
        long conn = client.connect(serverAddress, sim.nowNs());
        client.send(conn, new TransferRequest(new TransferInfo(TransferKind.BYTES, "item.bin",
                "application/octet-stream", payload.length, digestFollows ? null : sha256(payload)),
                new ByteArraySource(payload)), sim.nowNs());
        return conn;
    }

    boolean finished() {
        return outcomeNs >= 0;
    }

    boolean completed() {
        return clientEvents.stream().anyMatch(e -> e instanceof TransferCompleted);
    }

    RunResult run(long maxVirtualNs) {
        return sim.runUntil(this::finished, maxVirtualNs);
    }
}
