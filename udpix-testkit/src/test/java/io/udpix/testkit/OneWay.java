package io.udpix.testkit;

import java.net.InetSocketAddress;

/** Test fixture: a {@link NumberingSender} sending through one link to a {@link RecordingReceiver}. */
final class OneWay {
    final Simulator sim;
    final InetSocketAddress senderAddress;
    final InetSocketAddress receiverAddress;
    final NumberingSender sender;
    final RecordingReceiver receiver = new RecordingReceiver();
    final Link link;

    OneWay(long seed, LinkSpec spec, long count, int sizeBytes, long intervalNs) {
        sim = new Simulator(seed);
        senderAddress = sim.newAddress();
        receiverAddress = sim.newAddress();
        sender = new NumberingSender(receiverAddress, count, sizeBytes, intervalNs, 0).recordSendTimes();
        link = sim.link(spec);
        sim.route(senderAddress, receiverAddress, link);
        sim.attach(senderAddress, sender);
        sim.attach(receiverAddress, receiver);
    }

    /** Runs until nothing is left to happen, failing if that takes more than an hour of virtual time. */
    RunResult runToEnd() {
        RunResult r = sim.runUntil(() -> false, 3_600_000_000_000L);
        if (r.reason() != RunResult.Reason.QUIESCENT) {
            throw new AssertionError("expected the run to drain, got " + r + "; " + sim.describeSeed());
        }
        return r;
    }
}
