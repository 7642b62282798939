package io.udpix.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.engine.DropReason;
import io.udpix.engine.event.EndpointEvent;
import io.udpix.engine.event.FrameReceived;
import io.udpix.engine.event.StreamEnded;
import io.udpix.engine.event.StreamOpened;
import io.udpix.engine.recovery.SentPacket;
import io.udpix.wire.AbandonFrame;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FragmentFrame;
import io.udpix.wire.StreamCloseFrame;
import io.udpix.wire.StreamOpenFrame;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A connection's incoming streams: limits, routing, refusals and stops on the wire, timers, the end. */
class IncomingStreamsTest {
    static final long MS = 1_000_000L;
    static final int CTRL = 1 << 12;

    final List<EndpointEvent> events = new ArrayList<>();
    final Map<DropReason, Integer> drops = new EnumMap<>(DropReason.class);
    final IncomingStreamTest.CountingMemory memory = new IncomingStreamTest.CountingMemory(1 << 20);
    final ByteBuffer buf = ByteBuffer.allocate(4096);
    final ByteBuffer out = ByteBuffer.allocate(1500);

    final IncomingStreams.Host host = new IncomingStreams.Host() {
        @Override
        public long connectionId() {
            return 42;
        }

        @Override
        public InetSocketAddress peer() {
            return new InetSocketAddress("10.0.0.2", 40000);
        }

        @Override
        public long minRttNs() {
            return 20 * MS;
        }

        @Override
        public void emit(EndpointEvent event, boolean essential) {
            events.add(event);
        }

        @Override
        public void countDrop(DropReason reason) {
            drops.merge(reason, 1, Integer::sum);
        }
    };

    IncomingStreams streams(int maxStreams) {
        return new IncomingStreams(host, memory, new StreamLimits(maxStreams, 1 << 20, 20, 500));
    }

    StreamOpenFrame open(long id, int budgetMs, long senderClockUs) {
        buf.clear();
        StreamOpenFrame.encode(buf, 0, id, 0, 0, budgetMs, 3000, 640, 480, senderClockUs,
                StreamOpenFrame.encodeName("cam-" + id));
        return new StreamOpenFrame().wrap(buf, 0);
    }

    FragmentFrame fragment(long id, long n, long captureUs, int length) {
        buf.clear();
        int data = FragmentFrame.writeHeader(buf, 0, id, n, 0, captureUs, length, 1000, 0);
        for (int i = 0; i < length; i++) {
            buf.put(data + i, (byte) i);
        }
        return new FragmentFrame().wrap(buf, 0);
    }

    /** The receiver STREAM_CLOSE frames one packet carries now, as (stream id, code). */
    List<long[]> sentStops(IncomingStreams s, SentPacket sp) {
        out.clear();
        int end = s.writeControls(out, 0, out.capacity(), sp, CTRL);
        List<long[]> stops = new ArrayList<>();
        for (int at = 0; at < end; ) {
            StreamCloseFrame f = new StreamCloseFrame().wrap(out, at);
            assertThat(StreamCloseFrame.check(out, at, end)).isPositive();
            assertThat(f.fromReceiver()).as("a receiver's STREAM_CLOSE says so").isTrue();
            stops.add(new long[] {f.streamId(), f.code()});
            at += f.length();
        }
        return stops;
    }

    @Test
    void opensAStreamWithTheBudgetClampedToTheReceiversBoundsAndAnnouncesIt() {
        IncomingStreams s = streams(4);
        s.onOpen(open(1, 10_000, 0), 0);
        s.onOpen(open(2, 5, 0), 0);
        s.onOpen(open(1, 150, 0), 0); // a resent STREAM_OPEN changes nothing

        assertThat(events).hasSize(2).allMatch(e -> e instanceof StreamOpened);
        StreamOpened first = (StreamOpened) events.get(0);
        assertThat(first.incoming()).isTrue();
        assertThat(first.streamId()).isEqualTo(1);
        assertThat(first.params().latencyBudgetNs()).as("clamped to the 500 ms maximum").isEqualTo(500 * MS);
        assertThat(first.params().name()).isEqualTo("cam-1");
        assertThat(first.params().width()).isEqualTo(640);
        assertThat(((StreamOpened) events.get(1)).params().latencyBudgetNs()).as("raised to the 20 ms minimum")
                .isEqualTo(20 * MS);
        assertThat(s.size()).isEqualTo(2);
        assertThat(memory.usedBytes).isEqualTo(2 * IncomingStreams.STREAM_BASE_BYTES);
    }

    @Test
    void refusesAStreamBeyondTheLimitWithAStreamCloseThatIsSentUntilAcknowledged() {
        IncomingStreams s = streams(1);
        s.onOpen(open(1, 150, 0), 0);
        s.onOpen(open(2, 150, 0), 0);
        s.onOpen(open(2, 150, 0), 0); // its resend: refused once only

        assertThat(events).hasSize(1);
        assertThat(s.refusedStreams()).isEqualTo(1);
        assertThat(drops).containsEntry(DropReason.STREAM_LIMIT, 1);
        assertThat(s.hasControlToSend()).isTrue();
        SentPacket first = new SentPacket();
        assertThat(sentStops(s, first)).singleElement()
                .satisfies(stop -> assertThat(stop).containsExactly(2, ErrorCode.TOO_MANY_TRANSFERS));
        assertThat(first.controlCount).isEqualTo(1);
        assertThat(first.controlFrames[0]).isEqualTo(CTRL);
        assertThat(s.hasControlToSend()).as("in flight, not due again").isFalse();

        s.onStopLost(first.controlTransferIds[0]);
        assertThat(s.hasControlToSend()).as("lost: due again").isTrue();
        SentPacket second = new SentPacket();
        assertThat(sentStops(s, second)).hasSize(1);
        s.onStopAcked(second.controlTransferIds[0]);
        s.onStopLost(first.controlTransferIds[0]); // a late loss report after the ACK changes nothing
        assertThat(s.hasControlToSend()).isFalse();
        assertThat(sentStops(s, new SentPacket())).isEmpty();
    }

    @Test
    void refusesAStreamWhenTheReassemblyMemoryCannotHoldIt() {
        IncomingStreamTest.CountingMemory small = new IncomingStreamTest.CountingMemory(
                IncomingStreams.STREAM_BASE_BYTES + 100);
        IncomingStreams s = new IncomingStreams(host, small, StreamLimits.DEFAULTS);
        s.onOpen(open(1, 150, 0), 0);
        s.onOpen(open(2, 150, 0), 0);
        assertThat(s.size()).isEqualTo(1);
        assertThat(sentStops(s, new SentPacket())).singleElement()
                .satisfies(stop -> assertThat(stop).containsExactly(2, ErrorCode.SERVER_BUSY));
        assertThat(small.usedBytes).isLessThanOrEqualTo(small.capacityBytes);
    }

    @Test
    void packetsForAnUnknownOrEndedStreamAreCountedAndDropped() {
        IncomingStreams s = streams(4);
        s.onFragment(fragment(9, 0, 0, 100), buf, 0);
        assertThat(s.unknownStreamPackets()).isEqualTo(1);

        s.onOpen(open(1, 150, 0), 0);
        assertThat(s.stop(1, "")).isTrue();
        s.onFragment(fragment(1, 0, 0, 100), buf, 0);
        buf.clear();
        AbandonFrame.encode(buf, 0, 1, 3);
        s.onAbandon(new AbandonFrame().wrap(buf, 0), 0);
        assertThat(s.unknownStreamPackets()).isEqualTo(3);
        assertThat(drops).containsEntry(DropReason.UNKNOWN_STREAM, 3);
        assertThat(events).noneMatch(e -> e instanceof FrameReceived);
        s.onOpen(open(1, 150, 0), 0);
        assertThat(s.size()).as("an ended stream's late STREAM_OPEN does not reopen it").isZero();
    }

    @Test
    void stoppingAStreamTellsTheSenderAndEndsItWithItsFigures() {
        IncomingStreams s = streams(4);
        s.onOpen(open(1, 150, 0), 0);
        s.onFragment(fragment(1, 0, 0, 100), buf, 10 * MS);
        assertThat(events).anyMatch(e -> e instanceof FrameReceived);

        assertThat(s.stop(1, "")).isTrue();
        assertThat(s.stop(1, "")).as("only once").isFalse();
        StreamEnded ended = (StreamEnded) events.get(events.size() - 1);
        assertThat(ended.incoming()).isTrue();
        assertThat(ended.errorCode()).isEqualTo(ErrorCode.OK);
        assertThat(ended.stats().onTime()).isEqualTo(1);
        assertThat(sentStops(s, new SentPacket())).singleElement()
                .satisfies(stop -> assertThat(stop).containsExactly(1, ErrorCode.REFUSED));
        assertThat(memory.usedBytes).isZero();
    }

    @Test
    void deadlinesAreTimersThatDropALateFrameWithoutAnyPacketArriving() {
        IncomingStreams s = streams(4);
        s.onOpen(open(1, 100, 0), 10 * MS); // written at the sender's 0, here 10 ms later
        buf.clear();
        int data = FragmentFrame.writeHeader(buf, 0, 1, 0, 0, 0, 2000, 1000, 0); // half of a 2-fragment frame
        buf.put(data, new byte[1000]);
        s.onFragment(new FragmentFrame().wrap(buf, 0), buf, 10 * MS);
        // Offset: min(arrival - capture) = 10 ms, minus minRtt/2 = 10 ms -> 0; deadline = 0 + 100 ms.
        assertThat(s.wakeNs()).isEqualTo(100 * MS);
        s.onTimeout(99 * MS);
        assertThat(s.get(1).stats(42).late()).isZero();
        s.onTimeout(100 * MS);
        assertThat(s.get(1).stats(42).late()).isEqualTo(1);
        assertThat(s.wakeNs()).isEqualTo(Long.MAX_VALUE);
        List<StreamStats> stats = new ArrayList<>();
        s.addStats(stats);
        assertThat(stats).singleElement().satisfies(st -> {
            assertThat(st.incoming()).isTrue();
            assertThat(st.frames()).isEqualTo(1);
            assertThat(st.latencyBudgetNs()).isEqualTo(100 * MS);
        });
    }

    @Test
    void aPacketReadLateBecauseItWaitedForTheHandshakesFinishTakesItsClockSampleAtItsTrueArrival() {
        IncomingStreams s = streams(4);
        // Arrived at 10 ms (written at the sender's 0) but read at 90 ms, when the resent FINISH came.
        s.arrivalLagNs(80 * MS);
        s.onOpen(open(1, 100, 0), 90 * MS);
        buf.clear();
        int data = FragmentFrame.writeHeader(buf, 0, 1, 0, 0, 0, 2000, 1000, 0); // half of a 2-fragment frame
        buf.put(data, new byte[1000]);
        s.onFragment(new FragmentFrame().wrap(buf, 0), buf, 90 * MS);
        s.arrivalLagNs(0);
        // Offset: min(true arrival - capture) = 10 ms, minus minRtt/2 = 10 ms -> 0; the deadline is 0 + 100 ms, not
        // 80 ms later as the late reading would place it.
        assertThat(s.wakeNs()).isEqualTo(100 * MS);
    }

    @Test
    void theSendersCloseAndTheConnectionsEndEndStreamsWithTheirCodes() {
        IncomingStreams s = streams(4);
        s.onOpen(open(1, 150, 0), 0);
        s.onOpen(open(2, 150, 0), 0);
        s.onFragment(fragment(1, 0, 0, 100), buf, 10 * MS);
        buf.clear();
        StreamCloseFrame.encode(buf, 0, 1, 1, ErrorCode.OK, "");
        s.onSenderClose(new StreamCloseFrame().wrap(buf, 0), 11 * MS);
        assertThat(events).filteredOn(e -> e instanceof StreamEnded).singleElement()
                .satisfies(e -> assertThat(((StreamEnded) e).errorCode()).isEqualTo(ErrorCode.OK));

        s.endAll(ErrorCode.IDLE_TIMEOUT, "idle");
        assertThat(events).filteredOn(e -> e instanceof StreamEnded).hasSize(2).last()
                .satisfies(e -> {
                    assertThat(((StreamEnded) e).streamId()).isEqualTo(2);
                    assertThat(((StreamEnded) e).errorCode()).isEqualTo(ErrorCode.IDLE_TIMEOUT);
                });
        assertThat(s.size()).isZero();
        assertThat(memory.usedBytes).isZero();
        assertThat(s.hasControlToSend()).isFalse();
    }

    @Test
    void aFragmentOfAFrameInProgressAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        IncomingStreams s = streams(4);
        s.onOpen(open(1, 150, 0), 0);
        for (int round = 0; round < 2; round++) {
            long frameNumber = round;
            buf.clear();
            FragmentFrame f = new FragmentFrame();
            int data = FragmentFrame.writeHeader(buf, 0, 1, frameNumber, 0, 0, 100_000, 1000, 0);
            s.onFragment(f.wrap(buf, 0), buf, MS); // the frame's first fragment: its buffer is allocated here
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 1; i < 99; i++) { // not the last one: completing the frame delivers it (an event)
                FragmentFrame.writeHeader(buf, 0, 1, frameNumber, FragmentFrame.FLAG_RETRANSMISSION, 0, 100_000, 1000,
                        i);
                s.onFragment(f.wrap(buf, 0), buf, MS + i);
                s.onFragment(f.wrap(buf, 0), buf, MS + i); // and its duplicate
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            if (round == 1) { // round 0 warms up
                assertThat(allocated).as("bytes allocated for 196 fragments").isLessThan(2_000);
            }
            assertThat(data).isPositive();
        }
    }

    @Test
    void theStopsWaitingForAcknowledgementAreBounded() {
        IncomingStreams s = streams(1);
        s.onOpen(open(1, 150, 0), 0);
        for (long id = 2; id < 2 + IncomingStreams.MAX_STOPS + 10; id++) {
            s.onOpen(open(id, 150, 0), 0);
        }
        assertThat(s.forgottenStops()).isEqualTo(10);
        int written = 0;
        for (int packet = 0; packet < 100 && s.hasControlToSend(); packet++) {
            written += sentStops(s, new SentPacket()).size();
        }
        assertThat(written).isEqualTo(IncomingStreams.MAX_STOPS);
    }
}
