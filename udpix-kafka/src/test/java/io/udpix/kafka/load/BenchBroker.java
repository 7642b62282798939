package io.udpix.kafka.load;

import io.udpix.kafka.EmbeddedKafka;
import java.util.concurrent.CountDownLatch;

/**
 * The broker of bench/run scenario 9 when no Kafka installation is given: {@link EmbeddedKafka} (KRaft, one node,
 * loopback) in its own JVM, with topics {@code PREFIX-1..PREFIX-N} of 3 partitions; prints
 * {@code bootstrap=HOST:PORT} when ready and runs until SIGTERM, then stops and deletes its logs.
 * Usage: {@code BenchBroker PREFIX N}.
 */
public final class BenchBroker {

    private BenchBroker() {
    }

    /** Starts the broker and waits for SIGTERM. */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: BenchBroker TOPIC-PREFIX COUNT");
        }
        EmbeddedKafka kafka = EmbeddedKafka.start();
        int count = Integer.parseInt(args[1]);
        for (int i = 1; i <= count; i++) {
            kafka.createTopic(args[0] + "-" + i, 3);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } catch (Exception e) {
                System.err.println("stopping the broker: " + e);
            } finally {
                stopped.countDown();
            }
        }, "bench-broker-stop"));
        System.out.println("bootstrap=" + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
