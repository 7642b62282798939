package io.udpix.api;

import io.udpix.driver.FirstHopMtu;
import io.udpix.api.store.MessageLog;
import io.udpix.api.store.BufferPool;
import io.udpix.api.store.OutputStore;
import io.udpix.api.store.SpaceProbe;
import io.udpix.api.store.StorageLanes;
import io.udpix.api.stream.FrameListener;
import io.udpix.api.stream.StreamEnd;
import io.udpix.api.stream.StreamStatus;
import io.udpix.api.trust.AddressRanges;
import io.udpix.api.trust.AllowedKeys;
import io.udpix.api.trust.KeyFile;
import io.udpix.driver.DriverOptions;
import io.udpix.engine.EndpointConfig;
import io.udpix.engine.stream.StreamLimits;
import io.udpix.engine.crypto.PeerKeyPolicy;
import io.udpix.engine.crypto.StaticKeyPair;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Receives images, JSON and files on one or more UDP ports at once, from any number of clients concurrently.
 * Each port has its own engine and driver thread; items are verified by SHA-256 before they are stored or
 * handed over.
 *
 * <p>With an output directory every image, file and byte item is written there under a safe version of the
 * sender's name (temporary name first, renamed only after the SHA-256 matched), and every JSON message becomes a
 * line of {@code messages.jsonl}. Handlers ({@code onImage}, {@code onJson}...) run on one callback thread.
 * {@link Builder#onItem} runs on a pool of its own for every item and answers requests ({@link Reply}); metadata
 * ({@link ReceivedItem#meta()}) is stored beside each item (a {@code "meta"} object in its messages.jsonl line, a
 * {@code <name>.meta.json} sidecar beside a file).
 *
 * <p><b>Keys.</b> Native mode is encrypted, and the server proves its identity with a static X25519 key: by
 * default a new one is generated in memory at every start, so clients that pinned the last one will refuse the
 * next. Give it a lasting identity with {@link Builder#keyFile(Path)} (created on first use) or
 * {@link Builder#key(StaticKeyPair)}, and hand clients its {@link #fingerprint()} to pin. By default any client
 * key and address is admitted; {@link Builder#allowKeys(Collection)} and {@link Builder#allow(String...)}
 * restrict them.
 *
 * <pre>{@code
 * try (UdpixServer server = UdpixServer.builder().port(9000).outputDirectory(Path.of("received"))
 *         .onEvent(e -> System.out.println(e)).start()) {
 *     Thread.currentThread().join();
 * }
 * }</pre>
 */
public final class UdpixServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** Items {@link Builder#receiveQueue()} keeps for {@link #receive} at most. */
    public static final int DEFAULT_RECEIVE_QUEUE_ITEMS = 256;
    /** Default bound on what {@link #close()} waits for items in progress. */
    public static final Duration DEFAULT_CLOSE_GRACE = Duration.ofSeconds(5);
    /** Default size up to which items may be kept in memory. */
    public static final long DEFAULT_MEMORY_THRESHOLD_BYTES = 8L << 20;
    /** Longest wait for unacknowledged RESULT frames before the CLOSE (within the grace period). */
    private static final long RESULT_LINGER_NS = 1_000_000_000L;
    private static final long CALLBACK_DRAIN_MS = 5_000;
    /** Default number of storage threads: file-system work of every port runs there, never on a driver thread. */
    public static final int DEFAULT_STORAGE_THREADS = 2;
    /** Buffers (256 KiB each) carrying received bytes to the storage threads: at most 16 MiB in all. */
    static final int STORAGE_BUFFERS = 64;
    static final int STORAGE_BUFFER_BYTES = 256 * 1024;
    /** Items with a storage lane at once (open files plus JSON lines being appended). */
    static final int MAX_STORAGE_LANES = 4_096;
    /** Default number of threads running the {@link Builder#onItem} handler. */
    public static final int DEFAULT_REQUEST_THREADS = 4;
    /** A bound on sockets per port: more threads than this would only contend for the cores. */
    static final int MAX_THREADS_PER_PORT = 64;

    private final ServerContext ctx;
    private final ServerSockets sockets;
    private final long closeGraceNs;
    private final StaticKeyPair key;
    private final Object lifecycle = new Object();
    private boolean closed;

    /** Tasks handed to the callback thread so far (tests of hand-offs per item). */
    long callbackTasks() {
        return ctx.callbacks.submitted();
    }

    private UdpixServer(ServerContext ctx, ServerSockets sockets, long closeGraceNs, StaticKeyPair key) {
        this.ctx = ctx;
        this.sockets = sockets;
        this.closeGraceNs = closeGraceNs;
        this.key = key;
    }

    /** A builder with the defaults: 127.0.0.1, no output directory, 8 MiB memory threshold, 5 s close grace. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bound addresses, one per port, in the order the ports were given (real ports for port 0). */
    public List<InetSocketAddress> localAddresses() {
        return sockets.localAddresses();
    }

    /** The server's public key (Base64, 44 characters): what clients may pin ({@code serverKey}). */
    public String publicKey() {
        return key.publicKeyText();
    }

    /** The fingerprint of the server's key ({@code SHA256:...}): what clients may pin, shorter than the key. */
    public String fingerprint() {
        return key.fingerprint();
    }

    /** The output directory (its real path), if one was given. */
    public Optional<Path> outputDirectory() {
        return ctx.store == null ? Optional.empty() : Optional.of(ctx.store.dir());
    }

    /**
     * The oldest received item the application has not taken yet, waiting at most {@code timeout} for one; empty
     * when none came in time (at once once the server is closed and the queue empty). Needs
     * {@link Builder#receiveQueue(int)}. Items come in the order they were verified, over all ports; each is
     * also given to the {@code on...} handlers, if any.
     *
     * <p><b>Back-pressure.</b> A verified item's sender is confirmed only once the item has a place in the queue.
     * When the queue is full, or the item's sender address already holds a quarter of it, the item waits with its
     * confirmation (RESULT) held, so the sender waits instead of this server buffering without bound; each call
     * that takes an item lets the oldest waiting item of an address under its share in. A waiting item is not a
     * stalled one (its bytes are all here); closing the server fails the waiting items' senders with SERVER_BUSY
     * ("send it again"), while items already in the queue can still be taken.
     *
     * @throws IllegalStateException when the server was built without a receive queue
     * @throws InterruptedException  when the calling thread is interrupted while waiting
     */
    public Optional<ReceivedItem> receive(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (ctx.receiveQueue == null) {
            throw new IllegalStateException("this server has no receive queue; build it with "
                    + "UdpixServer.builder().receiveQueue() to call receive()");
        }
        return ctx.receiveQueue.receive(timeout);
    }

    /** Items being received right now, over all ports. */
    public int activeItems() {
        return ctx.activeItems();
    }

    /**
     * The engines' counters summed over every socket: datagrams, bytes, accepted connections and drops by reason
     * (forged, replayed, corrupted, over a limit...), and the file names the output directory tried; {@code ports()}
     * gives each socket's figures, its connections (peer, RTT, window, loss...) and frame streams with their
     * frame rates since the previous call. Counters are read without stopping the I/O threads; the stream figures
     * of a socket whose thread does not answer within 2 s are left out.
     */
    public ServerStats stats() {
        return sockets.stats().withNameAttempts(ctx.store == null ? 0 : ctx.store.nameAttempts())
                .withNamesRefused(ctx.namesRefused.get());
    }

    /**
     * The figures of every incoming frame stream now, over all ports (frames on time, late, lost, latency
     * percentiles, FEC and repairs). A port whose thread does not answer within 2 s contributes none.
     */
    public List<StreamStatus> streamStats() {
        return sockets.streamStats();
    }

    /**
     * Every socket's raw counters registry now, with its port (one entry per socket, so a port served by several
     * threads appears once per thread): each group's schema, labels and values, for exporters that publish every
     * metric by name. Lock-free: the I/O threads never wait, and neither does the caller.
     */
    public List<PortCounters> counters() {
        return sockets.counters();
    }

    /** Frames dropped because the frame listener was still busy with an older frame of the same stream. */
    public long framesDroppedSlowListener() {
        return ctx.streams.droppedTotal();
    }

    /**
     * Stops: refuses new items, gives items in progress the grace period to finish, then closes every connection
     * (clients are told), deletes temporary files of abandoned items, runs the callbacks already queued and
     * releases the output directory. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        ctx.startClosing();
        if (ctx.receiveQueue != null) {
            ctx.receiveQueue.close(); // releases the items held for lack of room: their senders hear at once
        }
        long deadlineNs = System.nanoTime() + closeGraceNs;
        try {
            // Handlers of items already in get the rest of the grace period, so their replies still go out.
            if (ctx.awaitIdle(deadlineNs) && (ctx.requests == null || ctx.requests.awaitIdle(deadlineNs))) {
                sockets.lingerForResults(Math.min(deadlineNs, System.nanoTime() + RESULT_LINGER_NS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sockets.closeAll("the server is shutting down");
        if (ctx.requests != null) {
            ctx.requests.shutdown(CALLBACK_DRAIN_MS);
        }
        if (ctx.lanes != null) {
            // Aborts queued by closing connections delete their temporary files here.
            ctx.lanes.shutdown(CALLBACK_DRAIN_MS);
        }
        ctx.streams.shutdown(CALLBACK_DRAIN_MS);
        if (ctx.confirmations != null) {
            ctx.confirmations.shutdown(CALLBACK_DRAIN_MS);
        }
        if (ctx.callbacks.isCallbackThread()) {
            LOG.log(System.Logger.Level.WARNING, "UdpixServer.close() called from a handler: queued callbacks "
                    + "after it are dropped");
        } else {
            ctx.callbacks.shutdown(CALLBACK_DRAIN_MS);
        }
        closeQuietly(ctx.store);
        closeQuietly(ctx.messageLog);
    }

    private static void closeQuietly(AutoCloseable resource) {
        if (resource == null) {
            return;
        }
        try {
            resource.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + resource + " failed: " + e, e);
        }
    }

    /** Options of a {@link UdpixServer}; {@link #start()} makes it. */
    public static final class Builder {
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private final List<Integer> ports = new ArrayList<>();
        private Path outputDirectory;
        private final Map<ItemKind, Consumer<ReceivedItem>> handlers = new EnumMap<>(ItemKind.class);
        private Consumer<ServerEvent> eventListener;
        private FrameListener frameListener;
        private Consumer<StreamEnd> streamEndListener;
        private long maxItemBytes = Long.MAX_VALUE;
        private int maxConnections = 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private long memoryThresholdBytes = DEFAULT_MEMORY_THRESHOLD_BYTES;
        private ImageCheck imageCheck = ImageCheck.HEADER;
        private int threadsPerPort = 1;
        private boolean durable;
        private Duration closeGrace = DEFAULT_CLOSE_GRACE;
        private DriverOptions driverOptions = DriverOptions.defaults();
        private String driverKind;
        private Consumer<EndpointConfig.Builder> endpointConfig = b -> { };
        private StreamLimits streamLimits = StreamLimits.DEFAULTS;
        private Long seed;
        private long maxTotalBytes = Long.MAX_VALUE;
        private int maxOpenFiles = StorageAdmission.DEFAULT_MAX_OPEN_FILES;
        private int maxOpenFilesPerAddress = StorageAdmission.DEFAULT_MAX_OPEN_FILES_PER_ADDRESS;
        private int storageThreads = DEFAULT_STORAGE_THREADS;
        private SpaceProbe spaceProbe;
        private Consumer<String> storageAudit;
        private StaticKeyPair key;
        private Path keyFile;
        private AllowedKeys allowedKeys;
        private AddressRanges allowedAddresses;
        private ItemPublisher publisher;
        private int receiveQueueCapacity;
        private ItemHandler itemHandler;
        private int requestThreads = DEFAULT_REQUEST_THREADS;

        private Builder() {
        }

        /**
         * Keeps verified items in a queue of {@value UdpixServer#DEFAULT_RECEIVE_QUEUE_ITEMS} items for
         * {@link UdpixServer#receive(Duration)} (the pull API). A sender is confirmed only once its item has a place
         * there, and one sender address holds at most a quarter of it: see {@link UdpixServer#receive(Duration)} for
         * the back-pressure rule. Items in memory keep their share of the memory budget until taken. Works beside
         * handlers, {@link #onItem} and a publisher (an item is queued after the publisher made it durable).
         */
        public Builder receiveQueue() {
            return receiveQueue(DEFAULT_RECEIVE_QUEUE_ITEMS);
        }

        /**
         * As {@link #receiveQueue()} with room for {@code capacity} items.
         *
         * @throws IllegalArgumentException when {@code capacity} is below 1
         */
        public Builder receiveQueue(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("receiveQueue capacity must be at least 1, was " + capacity);
            }
            this.receiveQueueCapacity = capacity;
            return this;
        }

        /**
         * Publishes every verified item through {@code value} (e.g. to Kafka, docs/KAFKA.md) and confirms an item
         * to its sender only after the publisher said it is durable; when the publisher is full, new items are
         * refused with {@code SERVER_BUSY} and its reason before any byte is sent. Frames of incoming streams are
         * offered to it too ({@link ItemPublisher#offerFrame}), when there is a frame listener. The server does
         * not close the publisher: close it after the server.
         */
        public Builder publisher(ItemPublisher value) {
            this.publisher = Objects.requireNonNull(value, "value");
            return this;
        }

        /** The server's static key (its identity); replaces {@link #keyFile}. Default: a new one in memory. */
        public Builder key(StaticKeyPair value) {
            this.key = Objects.requireNonNull(value, "value");
            this.keyFile = null;
            return this;
        }

        /**
         * Reads the server's key from {@code file} at {@link #start()}, creating it (owner-only, 0600) with a new
         * key when it does not exist, so the server keeps its identity across restarts; replaces {@link #key}.
         * A file others may read is refused (see {@link KeyFile}).
         */
        public Builder keyFile(Path file) {
            this.keyFile = Objects.requireNonNull(file, "file");
            this.key = null;
            return this;
        }

        /**
         * Admits only clients whose static key is one of {@code keys} (Base64 public keys or {@code SHA256:}
         * fingerprints); others are refused with {@code UNAUTHORIZED} (their {@code connect()} or first send fails
         * with {@link UdpixException.Kind#AUTHENTICATION}). Default: any client key.
         *
         * @throws IllegalArgumentException naming the first entry that is neither a key nor a fingerprint
         */
        public Builder allowKeys(Collection<String> keys) {
            this.allowedKeys = AllowedKeys.of(Objects.requireNonNull(keys, "keys"));
            return this;
        }

        /**
         * Takes handshakes only from addresses in {@code ranges} (each a CIDR range or single address, IPv4 or
         * IPv6, or several separated by commas: {@code "10.0.0.0/8", "::1"}); a HELLO from another address is
         * refused before any key work. Default: every address ({@link #bind} still limits the interfaces).
         *
         * @throws IllegalArgumentException naming the bad entry
         */
        public Builder allow(String... ranges) {
            this.allowedAddresses = AddressRanges.parse(ranges);
            return this;
        }

        /** The local address to listen on (default 127.0.0.1; 0.0.0.0 for every interface). */
        public Builder bind(InetAddress address) {
            this.bind = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Adds a port to listen on (0 picks a free one; see {@link UdpixServer#localAddresses()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            if (port != 0 && ports.contains(port)) {
                throw new IllegalArgumentException("port " + port + " was given twice");
            }
            ports.add(port); // Each 0 is one more port, wherever the kernel puts it.
            return this;
        }

        /** Adds several ports. */
        public Builder ports(int... values) {
            for (int port : values) {
                port(port);
            }
            return this;
        }

        /**
         * Writes images, files and byte items there (a name's folders, {@code photos/cat.jpg}, kept inside it, see
         * {@link io.udpix.api.store.TreeNames}), and JSON messages to its messages.jsonl.
         */
        public Builder outputDirectory(Path dir) {
            this.outputDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** Called with every image received (after it was saved, when there is an output directory). */
        public Builder onImage(Consumer<ReceivedItem> handler) {
            return handler(ItemKind.IMAGE, handler);
        }

        /** Called with every valid JSON message received. */
        public Builder onJson(Consumer<ReceivedItem> handler) {
            return handler(ItemKind.JSON, handler);
        }

        /** Called with every file received. */
        public Builder onFile(Consumer<ReceivedItem> handler) {
            return handler(ItemKind.FILE, handler);
        }

        /** Called with every byte item received. */
        public Builder onBytes(Consumer<ReceivedItem> handler) {
            return handler(ItemKind.BYTES, handler);
        }

        private Builder handler(ItemKind kind, Consumer<ReceivedItem> handler) {
            handlers.put(kind, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Called with every item after it was stored and verified (besides {@link #onImage}, {@link #onJson}...),
         * on the request pool ({@link #requestThreads}), never on an I/O thread. What it returns goes back to the
         * sender only when the sender asked for a reply ({@link UdpixClient#request}); a {@link Reply#error} or an
         * exception thrown fails the sender's request with its message. When the pool's queue is full, or the
         * sender's address already holds its share of it, a request is answered at once with a "server busy" error
         * and the handler is not called for that item. Without a handler, a request is answered with the error
         * "no reply handler", so the sender fails at once instead of waiting for its timeout.
         */
        public Builder onItem(ItemHandler handler) {
            this.itemHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Threads running the {@link #onItem} handler (default {@value UdpixServer#DEFAULT_REQUEST_THREADS}, at
         * most 256); items waiting for one are bounded (64 per thread, a quarter of that per sender address).
         */
        public Builder requestThreads(int threads) {
            if (threads < 1 || threads > 256) {
                throw new IllegalArgumentException("requestThreads must be 1..256, was " + threads);
            }
            this.requestThreads = threads;
            return this;
        }

        /** Told when items start, progress, complete or fail (on the callback thread). */
        public Builder onEvent(Consumer<ServerEvent> listener) {
            this.eventListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Takes frame streams and hands each complete, on-time frame to {@code listener}, on the server's frame
         * thread (never a driver thread; while it is busy, up to 4 frames of a stream wait, then the oldest gives way).
         * Without a frame listener the server refuses streams, and their senders are told.
         */
        public Builder onFrame(FrameListener listener) {
            this.frameListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Told when an incoming stream ends, after its last frame, with its final figures (frame thread). */
        public Builder onStreamEnded(Consumer<StreamEnd> listener) {
            this.streamEndListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Larger items are refused (TOO_LARGE) before any byte is sent. Default: no limit. */
        public Builder maxItemBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxItemBytes must be positive, was " + bytes);
            }
            this.maxItemBytes = bytes;
            return this;
        }

        /** Connections kept at once per port; more clients get SERVER_BUSY (default 1024). */
        public Builder maxConnections(int connections) {
            if (connections <= 0) {
                throw new IllegalArgumentException("maxConnections must be positive, was " + connections);
            }
            this.maxConnections = connections;
            return this;
        }

        /** A connection with nothing heard for this long is dropped (default 30 s). */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Items up to this size may be held in memory (JSON always; others when there is no output directory);
         * larger ones are refused unless they go to the output directory. Default 8 MiB.
         */
        public Builder memoryThresholdBytes(long bytes) {
            if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("memoryThresholdBytes must be 1.." + (Integer.MAX_VALUE - 8)
                        + ", was " + bytes);
            }
            this.memoryThresholdBytes = bytes;
            return this;
        }

        /**
         * How much to check received images beyond their SHA-256: {@link ImageCheck#HEADER} (default) reads size
         * and format, {@link ImageCheck#DECODE} decodes every pixel (milliseconds each), {@link ImageCheck#NONE}
         * skips parsing.
         */
        public Builder imageCheck(ImageCheck check) {
            this.imageCheck = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Whether each received file is flushed to the disk (fsync) before it gets its final name and the sender
         * its confirmation, so a confirmed file survives a power loss. Off by default, like cp, scp and rsync:
         * the file still appears complete in one step, and the kernel writes it back in its own time. Costs about
         * 0.9 s per GiB on a typical SSD.
         */
        public Builder durable(boolean value) {
            this.durable = value;
            return this;
        }

        /** How long {@link UdpixServer#close()} lets items in progress finish (default 5 s; zero abandons them). */
        public Builder closeGracePeriod(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("closeGracePeriod must not be negative, was " + grace);
            }
            this.closeGrace = grace;
            return this;
        }

        /**
         * How many driver threads, each with its own socket and engine, serve each port (default 1). With more
         * than one the sockets share the port through SO_REUSEPORT and the kernel spreads clients over them by
         * address, so many clients use several cores; one client always stays on one thread. Linux lets any
         * process of the same user join such a port, so keep it at 1 where other users' processes of the same
         * account could bind it.
         */
        public Builder threadsPerPort(int threads) {
            if (threads < 1 || threads > MAX_THREADS_PER_PORT) {
                throw new IllegalArgumentException("threadsPerPort must be 1.." + MAX_THREADS_PER_PORT + ", was "
                        + threads);
            }
            this.threadsPerPort = threads;
            return this;
        }

        /** Socket buffers and loop bounds of each port's driver. */
        public Builder driverOptions(DriverOptions options) {
            this.driverOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Which driver runs each port: {@code auto}, {@code nio}, {@code epoll}... (see
         * {@code io.udpix.driver.Drivers}); unset, {@code auto} (NIO on loopback, else the best native driver;
         * {@code -Dudpix.driver=nio|epoll} overrides {@code auto}). An unknown or unavailable one makes
         * {@link #start()} throw IllegalArgumentException or UnsupportedOperationException with the reason.
         */
        public Builder driver(String kind) {
            this.driverKind = Objects.requireNonNull(kind, "kind");
            return this;
        }

        /**
         * Adjusts each port's engine configuration after the builder's own settings (congestion control, windows,
         * limits); {@code acceptConnections} stays on whatever it sets.
         */
        public Builder endpointConfig(Consumer<EndpointConfig.Builder> customizer) {
            this.endpointConfig = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /**
         * What incoming frame streams may ask for (docs/PROTOCOL.md 5.8.1), announced to every client in the
         * handshake: streams at once on one connection, the largest frame, and the bounds of the latency budget
         * (a sender's request is clamped to them: {@code clamp(request, min, max)}). Default
         * {@link StreamLimits#DEFAULTS}: 16 streams, 16 MiB frames, 0 ms to 10 s.
         */
        public Builder streamLimits(StreamLimits limits) {
            this.streamLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * The most the output directory may hold, in bytes (default: no limit). Counted: the regular files in the
         * directory when the server starts, every item stored since (files and JSON lines), and the full size of
         * every item in progress. An item that does not fit is refused with NO_SPACE before any byte is sent;
         * while other addresses have items in progress, one address may reserve at most half of what is left.
         */
        public Builder maxTotalBytes(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxTotalBytes must be positive, was " + bytes);
            }
            this.maxTotalBytes = bytes;
            return this;
        }

        /**
         * Files being written at once: at most {@code total} (default 1,024) and {@code perAddress} (default 64)
         * for one sender IP address; an item beyond is refused (SERVER_BUSY) with the reason.
         */
        public Builder maxOpenFiles(int total, int perAddress) {
            if (total <= 0 || perAddress <= 0 || perAddress > total || total > OutputStore.MAX_PENDING_FILES) {
                throw new IllegalArgumentException("maxOpenFiles must be 1.." + OutputStore.MAX_PENDING_FILES
                        + " with 1 <= perAddress <= total, was " + total + " and " + perAddress);
            }
            this.maxOpenFiles = total;
            this.maxOpenFilesPerAddress = perAddress;
            return this;
        }

        /** Storage threads doing the file-system work of every port (default 2). */
        public Builder storageThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("storageThreads must be 1..64, was " + threads);
            }
            this.storageThreads = threads;
            return this;
        }

        /** Where the free space of the output directory's volume is read (tests report a full disk). */
        Builder spaceProbe(SpaceProbe probe) {
            this.spaceProbe = Objects.requireNonNull(probe, "probe");
            return this;
        }

        /** Told of each file-system operation of the store and log by name, on the thread doing it (tests). */
        Builder storageAudit(Consumer<String> audit) {
            this.storageAudit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        /** Seed of connection IDs and the cookie secret (default: SecureRandom); set it only to reproduce a run. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Opens the output directory and binds every port.
         *
         * @throws UdpixException CANNOT_BIND naming the port and the fix ("port 9000 on 127.0.0.1 is in use; pick
         *                        another with --port")
         * @throws IOException    when the output directory or the key file cannot be used (its message names the fix)
         * @throws IllegalStateException when no port was given
         */
        public UdpixServer start() throws IOException {
            if (ports.isEmpty()) {
                throw new IllegalStateException("no port to listen on; call port(9000) (0 picks a free port)");
            }
            CryptoWarmUp.start();
            OutputStore store = null;
            MessageLog log = null;
            CallbackExecutor callbacks = null;
            StorageLanes lanes = null;
            ServerStreams streams = null;
            RequestPool requestPool = null;
            List<ServerPort> started = new ArrayList<>();
            try {
                BufferPool buffers = null;
                StorageAdmission admission = null;
                if (outputDirectory != null) {
                    store = new OutputStore(outputDirectory, durable);
                    if (storageAudit != null) {
                        store.audit(storageAudit);
                    }
                    store.cleanStale();
                    log = new MessageLog(store.dir(), durable);
                    if (storageAudit != null) {
                        log.audit(storageAudit);
                    }
                    long existingBytes = store.existingBytes();
                    lanes = new StorageLanes(storageThreads, MAX_STORAGE_LANES);
                    buffers = new BufferPool(STORAGE_BUFFER_BYTES, STORAGE_BUFFERS);
                    admission = new StorageAdmission(maxTotalBytes, maxOpenFiles, maxOpenFilesPerAddress,
                            existingBytes, spaceProbe != null ? spaceProbe : SpaceProbe.of(store.dir()), lanes);
                }
                StaticKeyPair serverKey = key;
                if (serverKey == null) {
                    serverKey = keyFile != null ? KeyFile.readOrCreate(keyFile, new SecureRandom()).key()
                            : StaticKeyPair.generate(new SecureRandom());
                }
                callbacks = new CallbackExecutor("udpix-server-callbacks");
                FrameListener frames = frameListener;
                if (publisher != null && frames != null) {
                    ItemPublisher framePublisher = publisher;
                    FrameListener application = frames;
                    frames = frame -> {
                        framePublisher.offerFrame(frame);
                        application.onFrame(frame);
                    };
                }
                streams = new ServerStreams(frames, streamEndListener);
                ServerContext ctx = new ServerContext(store, log, callbacks, memoryThresholdBytes,
                        Math.max(4 * memoryThresholdBytes, 32L << 20), imageCheck, handlers, eventListener, lanes,
                        buffers, admission, streams);
                if (itemHandler != null) {
                    ctx.itemHandler = itemHandler;
                    requestPool = new RequestPool(requestThreads);
                    ctx.requests = requestPool;
                }
                if (publisher != null) {
                    ctx.publisher = publisher;
                    ctx.confirmations = new ServerConfirmations();
                }
                if (receiveQueueCapacity > 0) {
                    ctx.receiveQueue = new ReceiveQueue(receiveQueueCapacity);
                    ctx.publisher = ctx.receiveQueue.gate(publisher);
                    if (ctx.confirmations == null) {
                        ctx.confirmations = new ServerConfirmations();
                    }
                }
                long baseSeed = seed != null ? seed : new SecureRandom().nextLong();
                List<ServerPort> primaries = new ArrayList<>();
                DriverOptions options = threadsPerPort > 1 ? driverOptions.withReusePort(true) : driverOptions;
                int index = 0;
                for (int port : ports) {
                    InetSocketAddress address = new InetSocketAddress(bind, port);
                    for (int thread = 0; thread < threadsPerPort; thread++) {
                        try {
                            ServerPort socket = ServerPort.start(ctx, config(baseSeed + index, serverKey), address,
                                    options, driverKind);
                            started.add(socket);
                            if (thread == 0) {
                                primaries.add(socket);
                                // The others join the port the first one got (it may have been 0).
                                address = socket.localAddress();
                            }
                        } catch (BindException e) {
                            throw new UdpixException(UdpixException.Kind.CANNOT_BIND, -1, e.getMessage(), e);
                        }
                        index++;
                    }
                }
                return new UdpixServer(ctx, new ServerSockets(List.copyOf(started), List.copyOf(primaries)),
                        closeGrace.toNanos(), serverKey);
            } catch (IOException | RuntimeException | Error e) {
                for (ServerPort port : started) {
                    port.close("the server failed to start");
                }
                if (lanes != null) {
                    lanes.shutdown(CALLBACK_DRAIN_MS);
                }
                if (callbacks != null) {
                    callbacks.shutdown(CALLBACK_DRAIN_MS);
                }
                if (streams != null) {
                    streams.shutdown(CALLBACK_DRAIN_MS);
                }
                if (requestPool != null) {
                    requestPool.shutdown(CALLBACK_DRAIN_MS);
                }
                closeQuietly(log);
                closeQuietly(store);
                throw e;
            }
        }

        private EndpointConfig config(long portSeed, StaticKeyPair serverKey) {
            EndpointConfig.Builder b = EndpointConfig.builder()
                    .seed(portSeed)
                    .staticKey(serverKey)
                    .clientKeyPolicy(allowedKeys != null ? allowedKeys : PeerKeyPolicy.ACCEPT_ANY)
                    .maxItemBytes(maxItemBytes)
                    .maxConnections(maxConnections)
                    .idleTimeoutNs(idleTimeout.toNanos());
            // Bound to one interface: no datagram larger than it carries whole (see FirstHopMtu).
            FirstHopMtu.maxDatagramBytesOn(bind).ifPresent(max -> b.maxDatagramBytes(
                    Math.max(EndpointConfig.MIN_DATAGRAM_BYTES, max)));
            if (allowedAddresses != null) {
                b.addressFilter(allowedAddresses);
            }
            // Without a frame listener frames would have nowhere to go: the engine does not advertise streams, and
            // a sender's openStream fails at once with UNSUPPORTED_FEATURE and the reason.
            b.acceptStreams(frameListener != null)
                    .maxStreamsPerConnection(streamLimits.maxStreams())
                    .maxFrameBytes(streamLimits.maxFrameBytes())
                    .streamLatencyBoundsMs(streamLimits.latencyMinMs(), streamLimits.latencyMaxMs());
            endpointConfig.accept(b);
            return b.acceptConnections(true).build();
        }
    }
}
