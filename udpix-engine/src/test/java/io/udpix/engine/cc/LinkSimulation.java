package io.udpix.engine.cc;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Discrete-event loop in virtual time for {@link PacedSender}s sharing one {@link BottleneckLink}. Events at the
 * same time run in the order they were scheduled, so a run is fully determined by its seed.
 */
final class LinkSimulation {
    static final int START = 0;
    static final int SEND = 1;
    static final int ACK = 2;
    static final int PTO = 3;
    /** Bound on events per run: a runaway sender fails the test instead of hanging it. */
    private static final long MAX_EVENTS = 50_000_000L;

    private static final class Event implements Comparable<Event> {
        final long timeNs;
        final long order;
        final int type;
        final PacedSender sender;
        final long argument;

        Event(long timeNs, long order, int type, PacedSender sender, long argument) {
            this.timeNs = timeNs;
            this.order = order;
            this.type = type;
            this.sender = sender;
            this.argument = argument;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(timeNs, other.timeNs);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    final BottleneckLink link;
    final long durationNs;
    private final PriorityQueue<Event> events = new PriorityQueue<>();
    private final List<PacedSender> senders = new ArrayList<>();
    private long order;
    private long nowNs;
    private long handledEvents;

    LinkSimulation(BottleneckLink link, long durationNs) {
        this.link = link;
        this.durationNs = durationNs;
    }

    /** Adds a flow of {@code packetBytes}-sized packets controlled by {@code factory}, starting at {@code startNs}. */
    PacedSender addFlow(CongestionControllerFactory factory, int packetBytes, long startNs) {
        PacedSender sender = new PacedSender(senders.size(), factory.create(packetBytes, startNs), this, link,
                packetBytes, durationNs);
        senders.add(sender);
        schedule(startNs, START, sender, 0);
        return sender;
    }

    void schedule(long atNs, int type, PacedSender sender, long argument) {
        events.add(new Event(Math.max(atNs, nowNs), order++, type, sender, argument));
    }

    /** Runs until {@code durationNs} of virtual time have passed. */
    void run() {
        runUntil(durationNs);
    }

    /** Runs the events before {@code untilNs} (at most the duration); may be called again to continue. */
    void runUntil(long untilNs) {
        long endNs = Math.min(untilNs, durationNs);
        while (!events.isEmpty()) {
            if (events.peek().timeNs >= endNs) {
                return;
            }
            Event event = events.poll();
            if (++handledEvents > MAX_EVENTS) {
                throw new IllegalStateException("more than " + MAX_EVENTS + " events by t=" + nowNs + " ns");
            }
            nowNs = event.timeNs;
            switch (event.type) {
                case START:
                case SEND:
                    if (event.type == START) {
                        event.sender.trySend(nowNs);
                    } else {
                        event.sender.onSendEvent(nowNs, event.argument);
                    }
                    break;
                case ACK:
                    event.sender.onAck(nowNs, event.argument);
                    break;
                case PTO:
                    event.sender.onPtoEvent(nowNs);
                    break;
                default:
                    throw new IllegalStateException("unknown event type " + event.type);
            }
        }
    }
}
