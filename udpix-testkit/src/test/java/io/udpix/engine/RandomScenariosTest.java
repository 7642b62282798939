package io.udpix.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.event.TransferCompleted;
import io.udpix.engine.event.TransferFailed;
import io.udpix.testkit.RunResult;
import io.udpix.testkit.Scenario;
import io.udpix.testkit.ScenarioRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The core promise under random networks: every scenario ends with a byte-identical delivery, or, when the path is
 * cut for good, with a clear failure within the configured timeout. Never a hang, never a corrupt delivery.
 * {@code -Dudpix.seed=N} replays one scenario; otherwise {@link #SCENARIOS} consecutive seeds from a random base run
 * ({@link SeedSweep}: every scenario runs, and the failure lists every failing seed).
 */
class RandomScenariosTest {
    static final int SCENARIOS = 2000;
    static final long IDLE_TIMEOUT_NS = 30_000_000_000L;
    static final long HANDSHAKE_TIMEOUT_NS = 20_000_000_000L;
    /** Virtual time after which a transfer that neither finished nor failed counts as a hang. */
    static final long HANG_LIMIT_NS = 3_600_000_000_000L;

    @Test
    void everyRandomScenarioDeliversExactlyOrFailsClearlyInTime() {
        SeedSweep sweep = SeedSweep.fromProperties(SCENARIOS);
        int completed = 0;
        int failedOnCut = 0;
        for (int i = 0; i < sweep.count(); i++) {
            Scenario s = ScenarioRandom.generate(sweep.base() + i);
            Boolean delivered = sweep.run(s.seed(), () -> runOne(s));
            if (delivered == null) {
                continue;
            }
            if (delivered) {
                completed++;
            } else {
                failedOnCut++;
            }
        }
        System.out.printf("random scenarios from seed=%d: %d completed, %d failed on a permanent cut, %d failed %s%n",
                sweep.base(), completed, failedOnCut, sweep.failedSeeds().size(), sweep.failedSeeds());
        sweep.throwIfAnyFailed();
        assertThat(completed + failedOnCut).isEqualTo(sweep.count());
    }

    /**
     * Seed 2717007230641291955 (4 MiB over 2.6 Mbit/s, heavy burst loss, blackouts, 64 KiB datagrams): path MTU
     * discovery confirmed 64 KiB datagrams during STARTUP and BBR raised its window to 32 of them (2 MB, then 3.4 MB),
     * an 8-second queue on the unbounded link; after a blackout the PTO was 11 s and the receiver gave up (STALLED).
     */
    @Test
    void aTransferWhosePathMtuRisesToJumboDatagramsDuringStartupDoesNotStall() {
        assertThat(runOne(ScenarioRandom.generate(2717007230641291955L))).as("delivered").isTrue();
    }

    /** Returns true when delivered, false when it failed (only allowed on a permanent cut). */
    static boolean runOne(Scenario s) {
        byte[] payload = new byte[s.payloadBytes()];
        new SplittableRandom(s.seed()).nextBytes(payload);
        SimTransfer t = new SimTransfer(s.seed(),
                EndpointConfig.builder().idleTimeoutNs(IDLE_TIMEOUT_NS),
                EndpointConfig.builder().idleTimeoutNs(IDLE_TIMEOUT_NS).handshakeTimeoutNs(HANDSHAKE_TIMEOUT_NS),
                s.clientToServer(), s.serverToClient());
        // Half the scenarios announce the SHA-256 in the OPEN, half send it after the data (DIGEST frame).
        boolean digestFollows = (s.seed() & 1) == 1;
        t.send(payload, digestFollows);
        RunResult r = t.run(HANG_LIMIT_NS);
        String context = s + "\n  digestFollows=" + digestFollows + "\n  run=" + r + "\n  client=" + t.client.stats() + "\n  server=" + t.server.stats()
                + "\n  events=" + t.clientEvents;
        assertThat(t.finished()).as("hang: neither delivered nor failed; %s", context).isTrue();
        assertThat(t.client.stats().internalErrors() + t.server.stats().internalErrors())
                .as("engine errors; %s", context).isZero();
        // Whatever the server handed to its sink is exactly the payload, never a corrupt or partial item.
        for (byte[] got : t.received) {
            assertThat(got).as("corrupt delivery; %s", context).isEqualTo(payload);
        }
        if (t.completed()) {
            assertThat(t.received).as("sender confirmed but receiver has it %d times; %s", t.received.size(),
                    context).hasSize(1);
            TransferCompleted done = (TransferCompleted) t.clientEvents.stream()
                    .filter(e -> e instanceof TransferCompleted).findFirst().orElseThrow();
            assertThat(done.info().sha256()).as("confirmed hash; %s", context).isEqualTo(SimTransfer.sha256(payload));
            return true;
        }
        TransferFailed failure = (TransferFailed) t.clientEvents.stream()
                .filter(e -> e instanceof TransferFailed).findFirst().orElseThrow();
        assertThat(s.hasPermanentCut()).as("failed without a permanent cut: %s; %s", failure, context).isTrue();
        assertThat(failure.reason()).as("failure reason; %s", context).isNotBlank();
        long allowedNs = s.permanentCutNs() + Math.max(IDLE_TIMEOUT_NS, HANDSHAKE_TIMEOUT_NS) + 5_000_000_000L;
        assertThat(t.outcomeNs).as("failure came too late; %s", context).isLessThanOrEqualTo(allowedNs);
        return false;
    }
}
