package io.udpix.kafka.load;

import io.udpix.api.Item;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fleet load of issue 14: many simulated clients in one JVM, each a {@link UdpixClient} connection of its own
 * (own socket, own handshake, own source address when given several) that sends a few small images one after the
 * other to one of several receivers (client i to server i mod n) and closes. At most {@code concurrency} clients
 * are connected at once. An item counts as sent only when its receiver confirmed it (the future completed with a
 * {@link SendResult}); every confirmed item is recorded with its SHA-256 (unique per item: {@link FleetImages})
 * and its confirm latency, every other one with why it failed, so an audit of the topic can check each confirmed
 * item is there.
 *
 * <p>Bounded: {@code concurrency} threads and connections; the records are one per item of a run whose size the
 * settings bound ({@link Settings#MAX_ITEMS}).
 */
public final class FleetLoad {

    /**
     * What one JVM of the fleet does.
     *
     * @param servers         the receivers, client i sending to server i mod n
     * @param clients         simulated clients in this JVM
     * @param itemsPerClient  images each sends, one after the other
     * @param concurrency     clients connected at once
     * @param imageBytes      about this many bytes per image
     * @param seed            draws the base image; the run is otherwise driven by the network
     * @param idPrefix        makes this JVM's item ids unique among the fleet's JVMs (e.g. "j1")
     * @param bindAddresses   source addresses, client i binding the (i mod n)-th (many addresses are many
     *                        senders to a receiver's per-address shares); empty: the client's default
     * @param retries         extra attempts of an item the receiver refused (e.g. its Kafka buffer is full);
     *                        each is a new transfer
     * @param itemTimeout     an item not confirmed by then fails
     */
    public record Settings(List<InetSocketAddress> servers, int clients, int itemsPerClient, int concurrency,
            int imageBytes, long seed, String idPrefix, List<InetAddress> bindAddresses, int retries,
            Duration itemTimeout) {

        /** The most items one run may record. */
        public static final long MAX_ITEMS = 10_000_000L;

        /** Checks the settings. */
        public Settings {
            servers = List.copyOf(servers);
            bindAddresses = List.copyOf(bindAddresses);
            Objects.requireNonNull(idPrefix, "idPrefix");
            Objects.requireNonNull(itemTimeout, "itemTimeout");
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("--servers needs at least one host:port");
            }
            if (clients < 1 || itemsPerClient < 1 || (long) clients * itemsPerClient > MAX_ITEMS) {
                throw new IllegalArgumentException("--clients and --items must be >= 1 and at most " + MAX_ITEMS
                        + " items in all, were " + clients + " x " + itemsPerClient);
            }
            if (concurrency < 1 || concurrency > 4_096) {
                throw new IllegalArgumentException("--concurrency must be 1..4096, was " + concurrency);
            }
            if (imageBytes < 256 || imageBytes > (1 << 20)) {
                throw new IllegalArgumentException("--bytes must be 256..1048576, was " + imageBytes);
            }
            if (retries < 0 || retries > 100) {
                throw new IllegalArgumentException("--retries must be 0..100, was " + retries);
            }
        }
    }

    /** A confirmed item: its id (also its name), SHA-256, confirm latency and receiver. */
    public record Confirmed(String id, String sha256Hex, long latencyNs, InetSocketAddress server) {
    }

    /**
     * What a run did.
     *
     * @param attempted      items the run tried to send
     * @param confirmed      the items their receiver confirmed (the only ones counted as sent)
     * @param failures       items not confirmed, by reason
     * @param retries        extra attempts made: items after refusals, handshakes after timeouts
     * @param seconds        from the first connect to the last client's end
     */
    public record Result(long attempted, List<Confirmed> confirmed, Map<String, Long> failures, long retries,
            double seconds) {

        /** Items not confirmed. */
        public long failed() {
            return failures.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Confirmed items per second of the run. */
        public double itemsPerSecond() {
            return seconds > 0 ? confirmed.size() / seconds : 0;
        }

        /** The {@code q}-quantile (0..1) of the confirm latencies in milliseconds (nearest rank); NaN if none. */
        public double latencyMs(double q) {
            if (confirmed.isEmpty()) {
                return Double.NaN;
            }
            long[] ns = confirmed.stream().mapToLong(Confirmed::latencyNs).toArray();
            Arrays.sort(ns);
            int rank = (int) Math.ceil(q * ns.length) - 1;
            return ns[Math.max(0, Math.min(ns.length - 1, rank))] / 1e6;
        }

        /** One line, {@code key=value} words, for scripts (bench/lib/kafka.sh reads it). */
        public String summary() {
            StringBuilder line = new StringBuilder("fleet-load");
            line.append(" attempted=").append(attempted).append(" confirmed=").append(confirmed.size())
                    .append(" failed=").append(failed()).append(" retries=").append(retries)
                    .append(String.format(java.util.Locale.ROOT, " seconds=%.3f itemsPerSecond=%.1f p50Ms=%.2f"
                            + " p99Ms=%.2f maxMs=%.2f", seconds, itemsPerSecond(), latencyMs(0.5), latencyMs(0.99),
                            latencyMs(1.0)));
            if (!failures.isEmpty()) {
                line.append(" failures=").append(failures.toString().replace(' ', '_'));
            }
            return line.toString();
        }
    }

    /** Extra handshakes a simulated client tries after one timed out. */
    static final int CONNECT_RETRIES = 2;

    private FleetLoad() {
    }

    /** Runs the load; returns when every client has ended. */
    public static Result run(Settings settings) throws InterruptedException {
        FleetImages images = new FleetImages(settings.imageBytes(), settings.seed());
        AtomicInteger nextClient = new AtomicInteger();
        ConcurrentLinkedQueue<Confirmed> confirmed = new ConcurrentLinkedQueue<>();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        AtomicLong retries = new AtomicLong();
        long startNs = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(settings.concurrency(), runnable -> {
            Thread t = new Thread(runnable, "fleet-client");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int w = 0; w < settings.concurrency(); w++) {
                workers.execute(() -> {
                    // Each worker takes the next client until none is left: at most `concurrency` connected at once.
                    int i = nextClient.getAndIncrement();
                    while (i < settings.clients()) {
                        runClient(settings, images, i, confirmed, failures, retries);
                        i = nextClient.getAndIncrement();
                    }
                });
            }
        } finally {
            workers.shutdown();
        }
        long waitMs = settings.itemTimeout().toMillis() * ((long) settings.itemsPerClient() * (settings.retries() + 1))
                * (settings.clients() / settings.concurrency() + 1) + 60_000;
        if (!workers.awaitTermination(waitMs, TimeUnit.MILLISECONDS)) {
            workers.shutdownNow();
            throw new IllegalStateException("the fleet did not finish within " + waitMs + " ms");
        }
        double seconds = (System.nanoTime() - startNs) / 1e9;
        Map<String, Long> failed = new TreeMap<>();
        failures.forEach((reason, count) -> failed.put(reason, count.sum()));
        return new Result((long) settings.clients() * settings.itemsPerClient(), new ArrayList<>(confirmed), failed,
                retries.get(), seconds);
    }

    private static void runClient(Settings s, FleetImages images, int index, ConcurrentLinkedQueue<Confirmed> confirmed,
            Map<String, LongAdder> failures, AtomicLong retries) {
        InetSocketAddress server = s.servers().get(index % s.servers().size());
        UdpixClient.Builder builder = UdpixClient.builder(server).connectTimeout(Duration.ofSeconds(20));
        if (!s.bindAddresses().isEmpty()) {
            builder.bind(new InetSocketAddress(s.bindAddresses().get(index % s.bindAddresses().size()), 0));
        }
        UdpixClient client = null;
        for (int attempt = 0; client == null; attempt++) {
            try {
                client = builder.connect();
            } catch (UdpixException e) {
                // A camera whose handshake timed out (a receiver starved of CPU) tries again, as a real one would;
                // its items were never sent, so nothing is counted for them until they are confirmed.
                if (e.kind() == UdpixException.Kind.UNREACHABLE && attempt < CONNECT_RETRIES) {
                    retries.incrementAndGet();
                    continue;
                }
                failures.computeIfAbsent("connect:" + e.kind(), k -> new LongAdder()).add(s.itemsPerClient());
                return;
            }
        }
        try (UdpixClient connected = client) {
            for (int item = 0; item < s.itemsPerClient(); item++) {
                String id = s.idPrefix() + "-c" + index + "-i" + item;
                byte[] bytes = images.withId(id);
                Item send = Item.bytes(bytes, id + ".jpg");
                long t0 = System.nanoTime();
                for (int attempt = 0; ; attempt++) {
                    try {
                        SendResult result = connected.sendAsync(send).get(s.itemTimeout().toMillis(),
                                TimeUnit.MILLISECONDS);
                        confirmed.add(new Confirmed(id, result.sha256Hex(), System.nanoTime() - t0, server));
                        break;
                    } catch (java.util.concurrent.ExecutionException e) {
                        String reason = e.getCause() instanceof UdpixException u ? u.kind().toString()
                                : String.valueOf(e.getCause());
                        boolean refused = e.getCause() instanceof UdpixException u
                                && u.kind() == UdpixException.Kind.REFUSED;
                        if (refused && attempt < s.retries()) {
                            retries.incrementAndGet();
                            sleepQuietly(50L << Math.min(attempt, 5));
                            continue;
                        }
                        failures.computeIfAbsent("send:" + reason, k -> new LongAdder()).increment();
                        break;
                    } catch (java.util.concurrent.TimeoutException e) {
                        failures.computeIfAbsent("send:timeout", k -> new LongAdder()).increment();
                        break;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failures.computeIfAbsent("send:interrupted", k -> new LongAdder()).increment();
                        return;
                    }
                }
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes the confirmed items, one {@code id<TAB>sha256<TAB>latency µs} line each, for {@link TopicAudit}. */
    public static void writeConfirmed(Result result, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Confirmed c : result.confirmed()) {
                out.write(c.id() + "\t" + c.sha256Hex() + "\t" + c.latencyNs() / 1_000 + "\n");
            }
        }
    }

    /**
     * {@code FleetLoad --servers H:P[,H:P...] [--clients 1000] [--items 10] [--concurrency 64] [--bytes 4096]
     * [--seed 1] [--prefix j1] [--bind A[,A...]] [--retries 0] [--item-timeout-seconds 30] [--confirmed FILE]}:
     * prints {@link Result#summary()}; exit 0 when every item was confirmed, 1 otherwise.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String hostPort : a.getOrDefault("servers", "").split(",")) {
            if (!hostPort.isBlank()) {
                int colon = hostPort.lastIndexOf(':');
                servers.add(new InetSocketAddress(hostPort.substring(0, colon),
                        Integer.parseInt(hostPort.substring(colon + 1))));
            }
        }
        List<InetAddress> binds = new ArrayList<>();
        for (String address : a.getOrDefault("bind", "").split(",")) {
            if (!address.isBlank()) {
                binds.add(InetAddress.getByName(address));
            }
        }
        Settings settings = new Settings(servers, Integer.parseInt(a.getOrDefault("clients", "1000")),
                Integer.parseInt(a.getOrDefault("items", "10")), Integer.parseInt(a.getOrDefault("concurrency", "64")),
                Integer.parseInt(a.getOrDefault("bytes", "4096")), Long.parseLong(a.getOrDefault("seed", "1")),
                a.getOrDefault("prefix", "j1"), binds, Integer.parseInt(a.getOrDefault("retries", "0")),
                Duration.ofSeconds(Long.parseLong(a.getOrDefault("item-timeout-seconds", "30"))));
        Result result = run(settings);
        if (a.containsKey("confirmed")) {
            writeConfirmed(result, Path.of(a.get("confirmed")));
        }
        PrintStream out = System.out;
        out.println(result.summary());
        out.flush();
        System.exit(result.failed() == 0 ? 0 : 1);
    }

    /** {@code --name value} pairs; an unknown or valueless option is an error naming it. */
    static Map<String, String> options(String[] args) {
        List<String> known = List.of("servers", "clients", "items", "concurrency", "bytes", "seed", "prefix", "bind",
                "retries", "item-timeout-seconds", "confirmed");
        Map<String, String> map = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad option '" + args[i] + "'; options: --" + String.join(" --",
                        known) + ", each with a value");
            }
            map.put(name, args[++i]);
        }
        return map;
    }
}
