package io.udpix.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.TransferProgress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorRunTest {
    private static final long MS = 1_000_000L;
    private static final long SECOND_NS = 1_000 * MS;

    @Test
    void anEndpointThatNeverSendsMakesTheRunQuiescentWithoutTimePassing() {
        Simulator sim = new Simulator(1);
        sim.attach(sim.newAddress(), new MisbehavingEndpoints.Silent());
        RunResult r = sim.runUntil(() -> false, 60 * SECOND_NS);
        assertThat(r.reason()).isEqualTo(RunResult.Reason.QUIESCENT);
        assertThat(r.elapsedNs()).isZero();
        assertThat(sim.nowNs()).isZero();
    }

    @Test
    void aConversationThatStopsShortOfItsGoalIsReportedQuiescentAtItsLastEvent() {
        Simulator sim = new Simulator(2);
        InetSocketAddress client = sim.newAddress();
        InetSocketAddress server = sim.newAddress();
        sim.routeBoth(client, server, LinkSpec.builder().delayMillis(10).build(),
                LinkSpec.builder().delayMillis(10).build());
        NumberingSender sender = new NumberingSender(server, 10, 100, MS, 0);
        sim.attach(client, sender);
        sim.attach(server, new EchoEndpoint());

        RunResult r = sim.runUntil(() -> sender.received() == 11, 60 * SECOND_NS); // only 10 will ever come
        assertThat(r.reason()).isEqualTo(RunResult.Reason.QUIESCENT);
        assertThat(sender.received()).isEqualTo(10);
        assertThat(r.endNs()).isEqualTo(29 * MS); // the last echo: sent at 9 ms, 2 x 10 ms of delay
    }

    @Test
    void aRunStopsAsSoonAsItsConditionHolds() {
        Simulator sim = new Simulator(3);
        InetSocketAddress client = sim.newAddress();
        InetSocketAddress server = sim.newAddress();
        sim.routeBoth(client, server, LinkSpec.builder().delayMillis(10).build(),
                LinkSpec.builder().delayMillis(10).build());
        NumberingSender sender = new NumberingSender(server, 100, 100, MS, 0);
        sim.attach(client, sender);
        sim.attach(server, new EchoEndpoint());

        RunResult r = sim.runUntil(() -> sender.received() == 5, 60 * SECOND_NS);
        assertThat(r.isDone()).isTrue();
        assertThat(sim.nowNs()).isEqualTo(24 * MS);
    }

    @Test
    void anEndpointWhoseDeadlineIsAlwaysNowHitsTheEventLimit() {
        Simulator sim = new Simulator(4);
        MisbehavingEndpoints.AlwaysDue busy = new MisbehavingEndpoints.AlwaysDue();
        sim.attach(sim.newAddress(), busy);
        sim.setMaxEventsPerRun(10_000);
        RunResult r = sim.runUntil(() -> false, SECOND_NS);
        assertThat(r.reason()).isEqualTo(RunResult.Reason.EVENT_LIMIT);
        assertThat(r.events()).isEqualTo(10_000);
        assertThat(sim.nowNs()).isZero(); // a livelock: time never moved
        assertThat(busy.timeouts).isGreaterThan(9_000);
    }

    @Test
    void aTimeLimitLeavesTheClockExactlyAtTheLimit() {
        OneWay w = new OneWay(5, LinkSpec.builder().delayMillis(1).build(), 1_000, 100, 10 * MS);
        RunResult r = w.sim.runUntil(() -> false, 55 * MS);
        assertThat(r.reason()).isEqualTo(RunResult.Reason.TIME_LIMIT);
        assertThat(w.sim.nowNs()).isEqualTo(55 * MS);
        assertThat(w.receiver.count()).isEqualTo(6); // sent at 0..50 ms, arrived at 1..51 ms

        w.sim.runFor(5 * MS);
        assertThat(w.sim.nowNs()).isEqualTo(60 * MS);
    }

    @Test
    void runForAdvancesTheClockEvenWhenNothingHappens() {
        Simulator sim = new Simulator(6);
        RunResult r = sim.runFor(3 * SECOND_NS);
        assertThat(sim.nowNs()).isEqualTo(3 * SECOND_NS);
        assertThat(r.elapsedNs()).isEqualTo(3 * SECOND_NS);
    }

    @Test
    void tasksRunAtTheirVirtualTimeInInsertionOrderAndMayStartTransfersLater() {
        Simulator sim = new Simulator(7);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        sim.route(a, b, sim.link(LinkSpec.builder().delayMillis(1).build()));
        RecordingReceiver receiver = new RecordingReceiver();
        sim.attach(b, receiver);
        List<String> log = new ArrayList<>();
        sim.addTask(2 * SECOND_NS, () -> log.add("second@" + sim.nowNs()));
        sim.addTask(1 * SECOND_NS, () -> {
            log.add("first@" + sim.nowNs());
            sim.attach(a, new NumberingSender(b, 3, 64, MS, sim.nowNs()));
        });
        sim.addTask(2 * SECOND_NS, () -> log.add("third@" + sim.nowNs()));

        RunResult r = sim.runUntil(() -> false, 10 * SECOND_NS);
        assertThat(log).containsExactly("first@" + SECOND_NS, "second@" + 2 * SECOND_NS, "third@" + 2 * SECOND_NS);
        assertThat(receiver.count()).isEqualTo(3);
        assertThat(receiver.timeNs(0)).isEqualTo(SECOND_NS + MS);
        assertThat(r.reason()).isEqualTo(RunResult.Reason.QUIESCENT);

        sim.addTask(0, () -> log.add("late@" + sim.nowNs())); // in the past: runs now
        sim.runFor(0);
        assertThat(log).last().isEqualTo("late@" + sim.nowNs());
    }

    @Test
    void oneEndpointCannotStarveAnotherWithinTheSameInstant() {
        Simulator sim = new Simulator(8);
        sim.setMaxDatagramsPerStep(10);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        InetSocketAddress c = sim.newAddress();
        sim.route(a, c, sim.link(LinkSpec.perfect()));
        sim.route(b, c, sim.link(LinkSpec.perfect()));
        sim.attach(a, new NumberingSender(c, 100, 64, 0, 0));
        sim.attach(b, new NumberingSender(c, 100, 64, 0, 0));
        RecordingReceiver receiver = new RecordingReceiver();
        sim.attach(c, receiver);
        sim.runFor(0);

        assertThat(receiver.count()).isEqualTo(200);
        long fromAInFirst40 = 0;
        for (int i = 0; i < 40; i++) {
            fromAInFirst40 += receiver.sender(i).equals(a) ? 1 : 0;
        }
        assertThat(fromAInFirst40).isBetween(10L, 30L);
    }

    @Test
    void datagramsWithoutARouteOrWithoutAnEndpointAreCounted() {
        Simulator sim = new Simulator(9);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress nowhere = sim.newAddress();
        InetSocketAddress unrouted = sim.newAddress();
        sim.route(a, nowhere, sim.link(LinkSpec.perfect()));
        sim.attach(unrouted, new RecordingReceiver());
        sim.attach(a, new NumberingSender(nowhere, 5, 64, MS, 0));
        sim.runFor(SECOND_NS);
        assertThat(sim.stats().undeliverable()).isEqualTo(5);

        InetSocketAddress b = sim.newAddress();
        sim.attach(b, new NumberingSender(unrouted, 7, 64, MS, sim.nowNs()));
        sim.runFor(SECOND_NS);
        assertThat(sim.stats().unroutable()).isEqualTo(7);
        assertThat(sim.stats().sentDatagrams()).isEqualTo(12);
    }

    @Test
    void aDetachedEndpointGetsNothingMoreAndItsDeadlineIsCancelled() {
        OneWay w = new OneWay(10, LinkSpec.builder().delayMillis(1).build(), 100, 64, 10 * MS);
        w.sim.runFor(95 * MS);
        w.sim.detach(w.senderAddress);
        RunResult r = w.sim.runUntil(() -> false, SECOND_NS);
        assertThat(r.reason()).isEqualTo(RunResult.Reason.QUIESCENT);
        assertThat(w.receiver.count()).isEqualTo(10);
    }

    @Test
    void anEndpointThatForgetsFlipIsReportedWithTheFix() {
        Simulator sim = new Simulator(11);
        InetSocketAddress a = sim.newAddress();
        sim.attach(a, new MisbehavingEndpoints.ForgetsFlip(sim.newAddress()));
        assertThatThrownBy(() -> sim.runFor(MS)).isInstanceOf(SimulationException.class)
                .hasMessageContaining(a.toString()).hasMessageContaining("position=8").hasMessageContaining("flip()");
    }

    @Test
    void anEndpointThatThrowsIsReportedWithItsAddressTimeAndSeed() {
        OneWay w = new OneWay(12, LinkSpec.builder().delayMillis(3).build(), 1, 64, 0);
        w.sim.detach(w.receiverAddress);
        w.sim.attach(w.receiverAddress, new MisbehavingEndpoints.ThrowsOnDatagram());
        assertThatThrownBy(() -> w.sim.runFor(SECOND_NS)).isInstanceOf(SimulationException.class)
                .hasMessageContaining(w.receiverAddress.toString()).hasMessageContaining("handleDatagram")
                .hasMessageContaining("t=3000000 ns").hasMessageContaining("-Dudpix.seed=12")
                .hasRootCauseMessage("toy failure");
    }

    @Test
    void eventsAreDrainedOnlyForEndpointsWithAConsumer() {
        Simulator sim = new Simulator(13);
        InetSocketAddress a = sim.newAddress();
        InetSocketAddress b = sim.newAddress();
        InetSocketAddress drained = sim.newAddress();
        InetSocketAddress kept = sim.newAddress();
        sim.route(a, drained, sim.link(LinkSpec.perfect()));
        sim.route(b, kept, sim.link(LinkSpec.perfect()));
        sim.attach(a, new NumberingSender(drained, 4, 64, MS, 0));
        sim.attach(b, new NumberingSender(kept, 4, 64, MS, 0));
        MisbehavingEndpoints.EmitsProgress first = new MisbehavingEndpoints.EmitsProgress();
        MisbehavingEndpoints.EmitsProgress second = new MisbehavingEndpoints.EmitsProgress();
        sim.attach(drained, first);
        sim.attach(kept, second);
        List<EndpointEvent> events = new ArrayList<>();
        sim.onEvents(drained, events::add);
        sim.runFor(SECOND_NS);

        assertThat(events).hasSize(4).allMatch(e -> e instanceof TransferProgress);
        assertThat(((TransferProgress) events.get(3)).doneBytes()).isEqualTo(4 * 64);
        assertThat(first.queuedEvents()).isZero();
        assertThat(second.queuedEvents()).isEqualTo(4); // the test owns them: the simulator never polled
    }

    @Test
    void newAddressesAreDistinctPrivateAddresses() {
        Simulator sim = new Simulator(14);
        java.util.Set<InetSocketAddress> seen = new java.util.HashSet<>();
        for (int i = 0; i < 70_000; i++) {
            InetSocketAddress address = sim.newAddress();
            assertThat(address.getAddress().getAddress()[0]).isEqualTo((byte) 10);
            assertThat(seen.add(address)).isTrue();
        }
    }

    @Test
    void theSendObserverSeesEveryDatagramIncludingDroppedOnes() {
        OneWay w = new OneWay(15, LinkSpec.builder().lossProbability(0.5).build(), 1_000, 64, MS);
        long[] sent = new long[1];
        w.sim.onSend((now, from, to, datagram) -> {
            assertThat(datagram.remaining()).isEqualTo(64);
            sent[0]++;
        });
        w.runToEnd();
        assertThat(sent[0]).isEqualTo(1_000);
        assertThat(w.receiver.count()).isBetween(400, 600);
    }

    @Test
    void callbacksMayNotRunTheSimulatorAgain() {
        Simulator sim = new Simulator(16);
        sim.addTask(0, () -> sim.runFor(1));
        assertThatThrownBy(() -> sim.runFor(1)).hasRootCauseInstanceOf(IllegalStateException.class)
                .hasStackTraceContaining("already running");
    }
}
