package io.udpix.plain;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
    private static final long SECOND_NS = ReceiverHarness.SECOND_NS;
    private static final Pattern SUMMARY = Pattern.compile(
            "plain: dropped ([0-9,]+) (.*) from (more than )?([0-9,]+) senders? in the last (\\d+) s \\(the first (\\d+)"
                    + " were logged; counter ([a-z_]+)\\)");

    private final long seed = TestSeeds.seed();
    private final Random random = new Random(seed);

    @Test
    void aFloodOfRandomDatagramsWritesBoundedLinesAndEveryRefusalIsCounted() {
        try (LogCapture log = new LogCapture(PlainReceiver.class);
             ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            long tooLarge = 0;
            long notPositive = 0;
            long garbage = 0;
            int datagrams = 200_000;
            // 20 simulated seconds, 10,000 datagrams per second, from 50 senders: bad headers and random garbage.
            for (int i = 0; i < datagrams; i++) {
                h.nowNs += SECOND_NS / 10_000;
                InetSocketAddress from = new InetSocketAddress("127.0.0." + (1 + random.nextInt(50)), 50_000);
                if (random.nextBoolean()) {
                    long declared = random.nextLong();
                    if (declared > 0 && declared <= PlainReceiverConfig.DEFAULT_MAX_ITEM_BYTES) {
                        declared = -declared;
                    }
                    if (declared > 0) {
                        tooLarge++;
                    } else {
                        notPositive++;
                    }
                    h.send(from, header(declared));
                } else {
                    byte[] junk = new byte[randomNonHeaderLength()];
                    random.nextBytes(junk);
                    if (junk.length > 0) {
                        junk[0] = 0; // never an image signature, '{' or '['
                    }
                    garbage++;
                    h.send(from, junk);
                }
                h.replies();
                h.receiver.handleTimeout(h.nowNs);
            }
            h.advance(10 * SECOND_NS);

            PlainCounters counters = h.receiver.counters();
            assertThat(counters.errors(PlainErrorReason.LENGTH_TOO_LARGE)).as("seed=" + seed).isEqualTo(tooLarge);
            assertThat(counters.errors(PlainErrorReason.LENGTH_NOT_POSITIVE)).as("seed=" + seed).isEqualTo(notPositive);
            assertThat(counters.errors(PlainErrorReason.GARBAGE)).as("seed=" + seed).isEqualTo(garbage);
            assertThat(counters.errors()).isEqualTo(datagrams);

            List<String> lines = log.lines();
            // 3 reasons x (5 lines + 1 summary) per 10 s window; the 20 s flood spans at most 3 windows per reason.
            assertThat(lines).as("seed=" + seed).hasSizeLessThanOrEqualTo(3 * 3 * 6);
            long loggedAlone = lines.stream().filter(l -> l.startsWith("plain: refused ")).count();
            long summed = 0;
            for (String line : lines) {
                Matcher m = SUMMARY.matcher(line);
                if (m.matches()) {
                    summed += Long.parseLong(m.group(1).replace(",", ""));
                    assertThat(Integer.parseInt(m.group(4).replace(",", ""))).isLessThanOrEqualTo(50);
                }
            }
            assertThat(loggedAlone + summed).as("every refusal is either a line or in a summary; seed=" + seed)
                    .isEqualTo(datagrams);
        }
    }

    @Test
    void theSummaryLineCountsTheBadHeadersAndTheirDistinctSenders() {
        try (LogCapture log = new LogCapture(PlainReceiver.class);
             ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            for (int i = 0; i < 12_345; i++) {
                h.send(new InetSocketAddress("127.0.0.1", 40_000 + i % 37), PlainHeaderFormat.DEFAULT.encode(1L << 40));
            }
            assertThat(log.lines()).hasSize(5).allMatch(l -> l.startsWith("plain: refused /127.0.0.1:"));
            assertThat(h.receiver.nextDeadlineNs()).as("the summary is due when the window ends")
                    .isEqualTo(h.nowNs + 10 * SECOND_NS);
            h.advance(10 * SECOND_NS);
            assertThat(log.lines()).hasSize(6).last().isEqualTo("plain: dropped 12,340 bad headers (length above"
                    + " --max-size) from 37 senders in the last 10 s (the first 5 were logged; counter"
                    + " length_too_large)");
            assertThat(h.receiver.nextDeadlineNs()).isEqualTo(Long.MAX_VALUE);
            assertThat(h.receiver.counters().errors(PlainErrorReason.LENGTH_TOO_LARGE)).isEqualTo(12_345);
        }
    }

    @Test
    void theSenderTableIsBoundedAndTheSummarySaysMoreThan() {
        try (LogCapture log = new LogCapture(PlainReceiver.class);
             ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.defaults())) {
            for (int i = 0; i < 5000; i++) {
                h.send(new InetSocketAddress("127.0." + (i / 250) + "." + (i % 250), 9), new byte[] {0, 1, 2});
            }
            h.advance(10 * SECOND_NS);
            assertThat(log.lines()).last().asString().contains("dropped 4,995 datagrams that were not an image")
                    .contains("from more than 1,024 senders");
            assertThat(h.receiver.counters().repliesOmitted()).as("3-byte datagrams get no reply").isEqualTo(5000);
        }
    }

    @Test
    void eachReasonHasItsOwnAllowanceAndTheNextWindowLogsAfresh() {
        try (LogCapture log = new LogCapture(PlainReceiver.class);
             ReceiverHarness h = new ReceiverHarness(PlainReceiverConfig.builder().logLinesPerInterval(2)
                     .build())) {
            InetSocketAddress from = new InetSocketAddress("127.0.0.1", 9);
            for (int i = 0; i < 4; i++) {
                h.send(from, header(-1));
                h.send(from, PlainHeaderFormat.DEFAULT.encode(1L << 40));
            }
            assertThat(log.lines()).hasSize(4);
            h.advance(11 * SECOND_NS);
            assertThat(log.lines()).hasSize(6).filteredOn(l -> l.startsWith("plain: dropped 2 ")).hasSize(2);
            h.send(from, header(-1));
            assertThat(log.lines()).hasSize(7).last().asString().startsWith("plain: refused ");
        }
    }

    @Test
    void aFloodOfBadHeadersAndShortGarbageAllocatesNothingPerDatagram() {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads instanceof com.sun.management.ThreadMXBean,
                "needs the JDK's per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        PlainReceiver receiver = new PlainReceiver(PlainReceiverConfig.defaults());
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 9);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(64);
        java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocateDirect(PlainReceiver.MAX_REPLY_BYTES);
        byte[][] datagrams = {header(1L << 40), header(-5), {0, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}};
        long nowNs = SECOND_NS;
        for (int round = 0; round < 2; round++) {
            long before = counter.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 100_000; i++) {
                in.clear();
                in.put(datagrams[i & 3]).flip();
                receiver.handleDatagram(from, in, nowNs);
                while (receiver.pollReply(reply) != null) {
                    reply.clear();
                }
            }
            long allocated = counter.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            if (round == 1) { // round 0 warms up and logs the first lines of each reason
                assertThat(allocated).as("bytes allocated for 100,000 refused datagrams").isLessThan(100_000);
            }
        }
        assertThat(receiver.counters().errors()).isEqualTo(200_000);
        receiver.close();
    }

    /** An 8-byte little-endian header, negative lengths included (the encoder refuses those). */
    static byte[] header(long declared) {
        return java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(declared).array();
    }

    private int randomNonHeaderLength() {
        int length = random.nextInt(1500);
        return length == 8 ? 9 : length;
    }
}
