package io.udpix.testkit;

/**
 * One randomized end-to-end case: what the client sends and the path in each direction. Built by
 * {@link ScenarioRandom#generate}; {@link #toString()} lists everything (with the seed to replay it).
 *
 * @param seed the seed it was generated from (use it for the simulator too)
 * @param payloadBytes size of the content the client sends
 * @param clientToServer the forward direction
 * @param serverToClient the return direction
 */
public record Scenario(long seed, int payloadBytes, LinkSpec clientToServer, LinkSpec serverToClient) {

    /** Round-trip propagation delay (no jitter, no queueing). */
    public long rttNs() {
        return clientToServer.delayNs() + serverToClient.delayNs();
    }

    /** Whether a direction is cut forever at some point: the transfer may legitimately fail. */
    public boolean hasPermanentCut() {
        return clientToServer.hasPermanentCut() || serverToClient.hasPermanentCut();
    }

    /** When the first permanent cut starts, in either direction; Long.MAX_VALUE if none. */
    public long permanentCutNs() {
        long cut = Long.MAX_VALUE;
        for (LinkSpec spec : new LinkSpec[] {clientToServer, serverToClient}) {
            for (Blackout b : spec.blackouts()) {
                if (b.isPermanent()) {
                    cut = Math.min(cut, b.startNs());
                }
            }
        }
        return cut;
    }

    @Override
    public String toString() {
        return "Scenario{" + Seeds.describe(seed) + ", payloadBytes=" + payloadBytes + ", rtt="
                + Durations.format(rttNs()) + (hasPermanentCut() ? ", permanent cut at "
                + Durations.format(permanentCutNs()) : "") + ",\n  clientToServer=" + clientToServer
                + ",\n  serverToClient=" + serverToClient + "}";
    }
}
