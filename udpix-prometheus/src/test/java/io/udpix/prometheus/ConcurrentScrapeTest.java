package io.udpix.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.hawkular.agent.prometheus.types.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Several HTTP threads scraping at once while every scrape brings a different set of series (connections coming
 * and going): each answer is exactly the figures its own scrape read, never a mix of two, and the meters left
 * are those of one scrape.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentScrapeTest {
    private static final int SERIES = 300;
    private static final int THREADS = 6;
    private static final int SCRAPES = 25;

    @Test
    void eachOfManySimultaneousScrapesShowsExactlyTheSeriesItReadAndNoneOfAnothers() throws Exception {
        AtomicLong generation = new AtomicLong();
        // Each scrape reads generation g: series i=0..SERIES-1 labelled gen=g % 7 (so series churn: the previous
        // scrape's are removed, new ones registered), every value = g.
        PrometheusMetrics metrics = new PrometheusMetrics(out -> {
            long g = generation.incrementAndGet();
            for (int i = 0; i < SERIES; i++) {
                out.add("udpix_test_generation", "The scrape that read it", true,
                        List.of("gen", Long.toString(g % 7), "i", Integer.toString(i)), g);
            }
        }, false);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    for (int n = 0; n < SCRAPES; n++) {
                        List<Metric> samples = Exposition.parse(metrics.scrape()).family("udpix_test_generation")
                                .getMetrics();
                        assertThat(samples).hasSize(SERIES);
                        double g = Exposition.valueOf(samples.get(0));
                        String gen = Long.toString((long) g % 7);
                        assertThat(samples).allSatisfy(m -> {
                            assertThat(Exposition.valueOf(m)).isEqualTo(g);
                            assertThat(m.getLabels()).containsEntry("gen", gen);
                        });
                    }
                    return SCRAPES;
                }));
            }
            start.countDown();
            for (Future<Integer> f : results) {
                assertThat(f.get(100, TimeUnit.SECONDS)).isEqualTo(SCRAPES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(metrics.seriesCount()).as("one scrape's series plus the exporter's own").isEqualTo(SERIES + 1);
    }
}
