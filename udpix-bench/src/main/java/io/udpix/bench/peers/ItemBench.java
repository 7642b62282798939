package io.udpix.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scenarios 4 and 5 of bench/run: many items from several clients to one receiver, in one JVM so that send and
 * verified-receipt times share a clock. Prints one line of key=value pairs (items per second, p50/p99/max latency
 * from the send call to the receiver's verified receipt).
 *
 * <pre>
 *   java -cp udpix-bench.jar io.udpix.bench.peers.ItemBench --tool udpix|tcp|aeron --port P
 *        (--dir DIR_OF_JPEGS | --file ONE.jpg) --items N [--warmup K] [--clients C] [--window W]
 *        [--host 127.0.0.1] [--driver nio|epoll|auto] [--timeout-seconds S]
 * </pre>
 * Each client keeps at most W items in flight (sent, not yet verified), the same for every tool, so latency is
 * compared at the same load. Items are read into memory first; each client sends items c, c+C, c+2C...
 */
public final class ItemBench {
    private ItemBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String toolName = o.getOrDefault("tool", "udpix");
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(required(o, "port"));
        int items = Integer.parseInt(o.getOrDefault("items", "1000"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "0"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "1"));
        int window = Integer.parseInt(o.getOrDefault("window", "1"));
        long timeoutSeconds = Long.parseLong(o.getOrDefault("timeout-seconds", "300"));
        List<byte[]> payloads = load(o, Math.max(items, warmup));
        ItemTool tool = switch (toolName) {
            case "udpix" -> new UdpixItems(o.get("driver"));
            case "tcp" -> new TcpItems();
            case "aeron" -> new AeronItems();
            default -> throw new IllegalArgumentException("unknown --tool " + toolName + "; use udpix, tcp or aeron");
        };
        int exit = 0;
        try (tool) {
            // One receipt book per phase; the receiver reports into whichever phase is running.
            PhaseReceipts phase = new PhaseReceipts();
            tool.startReceiver(host, port, phase);
            List<ItemTool.Sender> senders = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                senders.add(tool.connect(host, port, c, phase));
            }
            if (warmup > 0) {
                Receipts r = new Receipts(warmup, clients, window);
                phase.set(r);
                run(senders, payloads, warmup, r, timeoutSeconds);
            }
            Receipts r = new Receipts(items, clients, window);
            phase.set(r);
            long startNs = System.nanoTime();
            boolean done = run(senders, payloads, items, r, timeoutSeconds);
            long endNs = done ? r.lastReceivedNs(0, items) : System.nanoTime();
            long[] lat = r.latenciesNs(0, items);
            int received = r.received(0, items);
            double seconds = (endNs - startNs) / 1e9;
            long bytes = 0;
            for (int i = 0; i < items; i++) {
                bytes += payloads.get(i % payloads.size()).length;
            }
            System.out.println(String.format(Locale.ROOT,
                    "tool=%s items=%d received=%d failures=%d duplicates=%d seconds=%.3f itemsPerSecond=%.1f "
                            + "MBps=%.1f p50Ms=%.3f p99Ms=%.3f maxMs=%.3f clients=%d window=%d complete=%b%s",
                    toolName, items, received, r.failures(), r.duplicates(), seconds, received / seconds,
                    bytes / seconds / 1e6, Receipts.percentileMs(lat, 0.50), Receipts.percentileMs(lat, 0.99),
                    Receipts.percentileMs(lat, 1.0), clients, window, done && r.failures() == 0,
                    r.firstFailure() == null ? "" : " firstFailure=\"" + r.firstFailure() + "\""));
            exit = done && r.failures() == 0 && received == items ? 0 : 1;
            for (ItemTool.Sender s : senders) {
                s.close();
            }
        }
        System.exit(exit);
    }

    /** Runs one phase: every client thread sends its share; returns whether all items were accounted for. */
    private static boolean run(List<ItemTool.Sender> senders, List<byte[]> payloads, int items, Receipts r,
            long timeoutSeconds) throws InterruptedException {
        int clients = senders.size();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            ItemTool.Sender sender = senders.get(c);
            Thread t = new Thread(() -> {
                for (int item = client; item < items; item += clients) {
                    try {
                        r.beforeSend(client, item);
                        sender.send(item, payloads.get(item % payloads.size()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        r.failed(client, item, String.valueOf(e));
                    }
                }
            }, "client-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        boolean done = r.await(timeoutSeconds);
        for (Thread t : threads) {
            t.interrupt();
        }
        return done;
    }

    private static List<byte[]> load(Map<String, String> o, int needed) throws IOException {
        List<Path> files = new ArrayList<>();
        if (o.containsKey("file")) {
            files.add(Path.of(o.get("file")));
        } else {
            try (Stream<Path> s = Files.list(Path.of(required(o, "dir")))) {
                s.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().limit(needed).forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no .jpg files to send; make them with GenImages");
        }
        List<byte[]> out = new ArrayList<>();
        for (Path p : files) {
            out.add(Files.readAllBytes(p));
        }
        return out;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    /** Forwards receipts to the current phase's book, so one receiver serves the warm-up and the measured run. */
    private static final class PhaseReceipts implements ItemTool.ReceiptSink {
        private volatile Receipts current;

        void set(Receipts r) {
            current = r;
        }

        @Override
        public void verified(int client, int item) {
            current.verified(client, item);
        }

        @Override
        public void failed(int client, int item, String why) {
            current.failed(client, item, why);
        }
    }
}
