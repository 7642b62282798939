package io.udpix.plain;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain-mode receiver with no I/O of its own (its only side effect is spill files): a runner feeds it
 * datagrams and time, sends the replies it queues and stores the items it completes.
 *
 * <p>Per sender address, when nothing is open: a whole image is one item; a JSON object or array is one
 * message; a datagram of exactly the header size opens an item of the declared length; anything else gets an
 * error reply. While an item is open for a sender, each of its datagrams is data, whatever it looks like, until
 * the declared length is reached. Every datagram gets one reply: the configured text, or {@code error: ...}.
 *
 * <p>Hostile input (docs/PLAIN_MODE.md, "Hostile input"): refusals are logged a few lines per reason and interval,
 * the rest summed up ({@link RefusalLog}); one sender address may hold only a share of each budget
 * ({@link SenderShares}); a reply to a sender with no open item (one whose header was not accepted) is never larger
 * than the datagram it answers, so a spoofed source cannot use the receiver as an amplifier (the principle of
 * RFC 9000 section 8, without QUIC's 3x allowance: plain mode has no way to validate an address).
 *
 * <p>Contract: single-threaded; {@code nowNs} never decreases between calls; no method throws on bad input.
 */
public final class PlainReceiver implements AutoCloseable {

    /** Largest datagram the receiver inspects as a whole (the largest UDP payload fits). */
    public static final int MAX_DATAGRAM_BYTES = 65_535;
    /** Largest reply; a {@link #pollReply} buffer of this capacity always fits. */
    public static final int MAX_REPLY_BYTES = 2048;
    /** Replies to senders that are mid-item (whose header was accepted) are not limited in size. */
    static final int KNOWN_SENDER = Integer.MAX_VALUE;
    /** An error reply cut shorter than this would not start with {@code error}, so it is not sent at all. */
    static final int MIN_ERROR_REPLY_BYTES = 5;
    /** Fixed starts of refusal messages, for {@link #refusedQuietly}. */
    private static final byte[] GARBAGE_START = "error: datagram of ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LENGTH_START = "error: declared length ".getBytes(StandardCharsets.US_ASCII);

    private static final Logger LOG = LoggerFactory.getLogger(PlainReceiver.class);

    private final PlainReceiverConfig config;
    private final byte[] okReply;
    // Access order: the eldest entry is the least recently active sender, whose silence deadline is the nearest
    // (all share one timeout) and who is evicted first.
    private final LinkedHashMap<InetSocketAddress, ItemAssembly> open = new LinkedHashMap<>(64, 0.75f, true);
    private final ArrayDeque<PlainItem> completed = new ArrayDeque<>();
    private final ReplyQueue replies;
    private final MemoryBudget memory;
    private final SenderShares shares = new SenderShares();
    private final RefusalLog refusals;
    private final PlainCounters counters = new PlainCounters();
    private final byte[] scratch = new byte[MAX_DATAGRAM_BYTES];
    /** Set by {@link #refusedQuietly}: whether the refusal it recorded gets a log line of its own. */
    private boolean refusalLogged;
    private long pendingBytes;
    private long lastNowNs;

    /** A receiver with the given settings. */
    public PlainReceiver(PlainReceiverConfig config) {
        this.config = config;
        this.okReply = config.replyBytes();
        this.replies = new ReplyQueue(config.maxQueuedReplies());
        this.memory = new MemoryBudget(config.memoryTotalBytes(),
                config.memoryTotalBytes() / PlainReceiverConfig.DEFAULT_SHARE_DIVISOR);
        this.refusals = new RefusalLog(LOG, config.logLinesPerInterval(), config.logIntervalNs());
    }

    /** Handles one datagram from {@code from}, read from position to limit (on return, position == limit). */
    public void handleDatagram(InetSocketAddress from, ByteBuffer data, long nowNs) {
        lastNowNs = nowNs;
        int length = data.remaining();
        counters.datagram(length);
        ItemAssembly item = open.get(from);
        if (item != null) {
            continueItem(item, data, nowNs);
            return;
        }
        if (length > scratch.length) {
            data.position(data.limit());
            reject(from, PlainErrorReason.GARBAGE, "error: datagram of " + length + " bytes is larger than UDP allows",
                    length, nowNs);
            return;
        }
        data.get(scratch, 0, length);
        String imageExtension = ItemSniffer.imageExtension(scratch, 0, length);
        if (imageExtension != null) {
            complete(new PlainItem(from, PlainItemKind.IMAGE, imageExtension, length, copyOfScratch(length), null,
                    length), nowNs);
            return;
        }
        if (ItemSniffer.isJsonDocument(scratch, 0, length)) {
            complete(new PlainItem(from, PlainItemKind.JSON, "json", length, copyOfScratch(length), null, length),
                    nowNs);
            return;
        }
        PlainHeaderFormat header = config.headerFormat();
        if (length == header.lengthBytes()) {
            openItem(from, header.decode(scratch, 0), length, nowNs);
            return;
        }
        if (refusedQuietly(from, PlainErrorReason.GARBAGE, GARBAGE_START, length, nowNs)) {
            return;
        }
        rejectCounted(from, PlainErrorReason.GARBAGE, "error: datagram of " + length + " bytes is not an image, a"
                + " JSON object or array, or a " + header.describe() + " length header, and no item is open from "
                + from, length, refusalLogged);
    }

    /** Discards the partial items of senders silent for the silence timeout; writes due log summaries. */
    public void handleTimeout(long nowNs) {
        lastNowNs = nowNs;
        refusals.flush(nowNs);
        int limit = open.size();
        Iterator<ItemAssembly> eldestFirst = open.values().iterator();
        for (int i = 0; i < limit && eldestFirst.hasNext(); i++) {
            ItemAssembly item = eldestFirst.next();
            if (nowNs - item.lastActivityNs < config.silenceTimeoutNs()) {
                break;
            }
            eldestFirst.remove();
            dropOpenItem(item, PlainErrorReason.SILENCE, "error: nothing from " + item.from + " for "
                    + seconds(nowNs - item.lastActivityNs) + " while " + item.missingBytes() + " of "
                    + item.declaredBytes + " bytes were missing; item discarded (plain mode cannot recover lost"
                    + " datagrams)", nowNs);
        }
    }

    /** When {@link #handleTimeout} next has work; {@code Long.MAX_VALUE} when no item is open and no log is due. */
    public long nextDeadlineNs() {
        long logNs = refusals.nextDeadlineNs();
        if (open.isEmpty()) {
            return logNs;
        }
        return Math.min(logNs, open.values().iterator().next().lastActivityNs + config.silenceTimeoutNs());
    }

    /**
     * For a runner whose consumer could not store {@code item}: counts and logs it (rate-limited) and puts the
     * error reply to send at once into {@code dst} as {@link #pollReply} does, cut for anti-amplification.
     *
     * @return where to send the reply, or null when none may be sent (a one-datagram item under 5 bytes)
     */
    public InetSocketAddress storeFailed(PlainItem item, String cause, ByteBuffer dst, long nowNs) {
        String message = "error: receiver could not store the item (" + cause + "); item discarded";
        counters.error(PlainErrorReason.STORE_FAILED);
        if (refusals.refused(PlainErrorReason.STORE_FAILED, item.from(), nowNs)) {
            LOG.error("plain: could not store {}: {}", item, cause);
        }
        int limit = item.replyLimitBytes();
        if (limit < MIN_ERROR_REPLY_BYTES) {
            counters.replyOmitted();
            return null;
        }
        byte[] bytes = errorBytes(message);
        int n = Math.min(bytes.length, Math.min(limit, dst.capacity()));
        if (n < bytes.length) {
            counters.replyCut();
        }
        dst.clear();
        dst.put(bytes, 0, n).flip();
        return item.from();
    }

    /**
     * Copies the next reply into {@code dst} (cleared; on return position = 0, limit = its length) and returns
     * where to send it, or null when no reply is queued. {@code dst} needs {@link #MAX_REPLY_BYTES} capacity.
     */
    public InetSocketAddress pollReply(ByteBuffer dst) {
        return replies.poll(dst);
    }

    /** The next completed item, or null. The caller owns it (see {@link PlainItem#discard()}). */
    public PlainItem pollItem() {
        return completed.poll();
    }

    /** Senders currently mid-item. */
    public int openItems() {
        return open.size();
    }

    /** Live counters. */
    public PlainCounters counters() {
        return counters;
    }

    /** The settings. */
    public PlainReceiverConfig config() {
        return config;
    }

    /** Discards open partial items and completed items nobody took, deleting their spill files. */
    @Override
    public void close() {
        for (ItemAssembly item : open.values()) {
            item.discard(memory);
            shares.close(item.share, item.declaredBytes);
        }
        open.clear();
        pendingBytes = 0;
        refusals.flushAll(lastNowNs);
        for (PlainItem item = completed.poll(); item != null; item = completed.poll()) {
            item.discard();
        }
    }

    private void continueItem(ItemAssembly item, ByteBuffer data, long nowNs) {
        int length = data.remaining();
        if (length > item.missingBytes()) {
            data.position(data.limit());
            open.remove(item.from);
            dropOpenItem(item, PlainErrorReason.OVERRUN, "error: datagram of " + length + " bytes overruns the"
                    + " declared length " + item.declaredBytes + " by " + (length - item.missingBytes())
                    + " bytes; item discarded", nowNs);
            return;
        }
        try {
            item.append(data, memory, config);
        } catch (IOException e) {
            data.position(data.limit());
            open.remove(item.from);
            dropOpenItem(item, PlainErrorReason.STORE_FAILED, "error: receiver could not store the item ("
                    + e.getMessage() + "); item discarded", nowNs);
            return;
        }
        item.lastActivityNs = nowNs;
        if (!item.isComplete()) {
            reply(item.from, okReply, KNOWN_SENDER);
            return;
        }
        open.remove(item.from);
        pendingBytes -= item.declaredBytes;
        shares.close(item.share, item.declaredBytes);
        PlainItem done;
        try {
            done = item.finish(memory);
        } catch (IOException e) {
            item.discard(memory);
            reject(item.from, PlainErrorReason.STORE_FAILED, "error: receiver could not store the item ("
                    + e.getMessage() + "); item discarded", KNOWN_SENDER, nowNs);
            return;
        }
        complete(done, nowNs);
    }

    private void openItem(InetSocketAddress from, long declaredBytes, int headerBytes, long nowNs) {
        if (declaredBytes <= 0) {
            if (!refusedQuietly(from, PlainErrorReason.LENGTH_NOT_POSITIVE, LENGTH_START, headerBytes, nowNs)) {
                rejectCounted(from, PlainErrorReason.LENGTH_NOT_POSITIVE, "error: declared length " + declaredBytes
                        + " is not positive; the header must be a " + config.headerFormat().describe()
                        + " byte count", headerBytes, refusalLogged);
            }
            return;
        }
        if (declaredBytes > config.maxItemBytes()) {
            if (!refusedQuietly(from, PlainErrorReason.LENGTH_TOO_LARGE, LENGTH_START, headerBytes, nowNs)) {
                rejectCounted(from, PlainErrorReason.LENGTH_TOO_LARGE, "error: declared length " + declaredBytes
                        + " exceeds --max-size " + config.maxItemBytes(), headerBytes, refusalLogged);
            }
            return;
        }
        SenderShares.Share share = shares.get(from.getAddress());
        if (share != null && share.openItems >= config.maxOpenItemsPerAddress()) {
            reject(from, PlainErrorReason.BUSY, "error: receiver busy: " + from.getAddress().getHostAddress()
                    + " already has " + share.openItems + " items open (limit per address "
                    + config.maxOpenItemsPerAddress() + "); finish them or retry later", headerBytes, nowNs);
            return;
        }
        long addressPendingBytes = share == null ? 0 : share.pendingBytes;
        if (declaredBytes > config.maxPendingBytesPerAddress() - addressPendingBytes) {
            reject(from, PlainErrorReason.BUSY, "error: receiver busy: " + from.getAddress().getHostAddress()
                    + " already has " + addressPendingBytes + " bytes pending (share per address "
                    + config.maxPendingBytesPerAddress() + "); retry when they are done", headerBytes, nowNs);
            return;
        }
        // Large claims leave the small-item reserve alone, so senders of small items always find room.
        long limitBytes = declaredBytes <= config.memoryPerItemBytes() ? config.maxPendingBytes()
                : config.maxPendingBytes() - config.smallItemReserveBytes();
        if (declaredBytes > limitBytes - pendingBytes) {
            reject(from, PlainErrorReason.BUSY, "error: receiver busy: " + pendingBytes + " bytes already pending"
                    + " from other senders (limit " + limitBytes + " for items of this size); retry later",
                    headerBytes, nowNs);
            return;
        }
        if (open.size() >= config.maxOpenSenders()) {
            Iterator<ItemAssembly> eldestFirst = open.values().iterator();
            ItemAssembly eldest = eldestFirst.next();
            eldestFirst.remove();
            dropOpenItem(eldest, PlainErrorReason.EVICTED, "error: item discarded: more than "
                    + config.maxOpenSenders() + " senders were mid-item and " + eldest.from
                    + " was the least recently active", nowNs);
        }
        open.put(from, new ItemAssembly(from, declaredBytes, shares.open(from.getAddress(), declaredBytes), nowNs));
        pendingBytes += declaredBytes;
        // Its header is accepted: from now on the sender is known and gets replies as the tutorial expects.
        reply(from, okReply, KNOWN_SENDER);
    }

    private void complete(PlainItem item, long nowNs) {
        if (completed.size() >= config.maxQueuedItems()) {
            item.discard();
            reject(item.from(), PlainErrorReason.BUSY, "error: receiver busy: " + completed.size()
                    + " completed items are waiting to be stored; item discarded, retry later",
                    item.replyLimitBytes(), nowNs);
            return;
        }
        completed.add(item);
        counters.item(item.kind());
        reply(item.from(), okReply, item.replyLimitBytes());
    }

    /** Discards an item already taken out of the open set, and tells its sender (a known one) why. */
    private void dropOpenItem(ItemAssembly item, PlainErrorReason reason, String message, long nowNs) {
        pendingBytes -= item.declaredBytes;
        item.discard(memory);
        shares.close(item.share, item.declaredBytes);
        counters.error(reason);
        if (refusals.refused(reason, item.from, nowNs)) {
            LOG.warn("plain: discarded a partial item from {} after {} of {} bytes: {}", item.from,
                    item.receivedBytes, item.declaredBytes, message);
        }
        replyError(item.from, message, KNOWN_SENDER);
    }

    private void reject(InetSocketAddress from, PlainErrorReason reason, String message, int replyLimitBytes,
            long nowNs) {
        rejectCounted(from, reason, message, replyLimitBytes, refusals.refused(reason, from, nowNs));
    }

    /**
     * Records a refusal in the log's rate limit and, when it gets no line of its own and its whole reply lies
     * within {@code constantStart} (the fixed start of its message), counts it and queues that prefix without
     * building the message: a flood of bad headers or short garbage then allocates nothing per datagram.
     * Returns false when the caller must build the message and call {@link #rejectCounted} with
     * {@link #refusalLogged}.
     */
    private boolean refusedQuietly(InetSocketAddress from, PlainErrorReason reason, byte[] constantStart,
            int replyLimitBytes, long nowNs) {
        refusalLogged = refusals.refused(reason, from, nowNs);
        if (refusalLogged || replyLimitBytes > constantStart.length) {
            return false;
        }
        counters.error(reason);
        if (replyLimitBytes < MIN_ERROR_REPLY_BYTES) {
            counters.replyOmitted();
        } else {
            counters.replyCut();
            offer(from, constantStart, replyLimitBytes);
        }
        return true;
    }

    /** {@link #reject} once the refusal log has been asked whether this one gets a line of its own. */
    private void rejectCounted(InetSocketAddress from, PlainErrorReason reason, String message, int replyLimitBytes,
            boolean logIt) {
        if (logIt) {
            LOG.warn("plain: refused {}: {}", from, message);
        }
        counters.error(reason);
        replyError(from, message, replyLimitBytes);
    }

    /**
     * Queues an error reply of at most {@code limitBytes}: cut to that size, or not sent when even {@code error}
     * does not fit (a shorter cut would not read as an error to the sender).
     */
    private void replyError(InetSocketAddress to, String message, int limitBytes) {
        if (limitBytes < MIN_ERROR_REPLY_BYTES) {
            counters.replyOmitted();
            return;
        }
        byte[] bytes = errorBytes(message);
        if (bytes.length > limitBytes) {
            counters.replyCut();
        }
        offer(to, bytes, Math.min(bytes.length, limitBytes));
    }

    /** Queues the accepted reply, cut to {@code limitBytes} (a prefix of it still does not start with error). */
    private void reply(InetSocketAddress to, byte[] bytes, int limitBytes) {
        if (bytes.length > limitBytes) {
            counters.replyCut();
        }
        offer(to, bytes, Math.min(bytes.length, limitBytes));
    }

    private void offer(InetSocketAddress to, byte[] bytes, int lengthBytes) {
        if (!replies.offer(to, bytes, lengthBytes)) {
            counters.replyDropped();
        }
    }

    private byte[] copyOfScratch(int length) {
        byte[] copy = new byte[length];
        System.arraycopy(scratch, 0, copy, 0, length);
        return copy;
    }

    private static byte[] errorBytes(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_REPLY_BYTES) {
            return bytes;
        }
        byte[] cut = new byte[MAX_REPLY_BYTES];
        System.arraycopy(bytes, 0, cut, 0, MAX_REPLY_BYTES);
        return cut;
    }

    private static String seconds(long ns) {
        long ms = ns / 1_000_000;
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    /** For tests: bytes of memory that open items hold. */
    long memoryInUseBytes() {
        return memory.usedBytes();
    }

    /** For tests: sender addresses with an open item. */
    int addressesWithOpenItems() {
        return shares.addresses();
    }

    /** For tests: summary lines the refusal log wrote. */
    long logSummaryLines() {
        return refusals.summaryLines();
    }

    /** For tests: the open items by sender. */
    Map<InetSocketAddress, ItemAssembly> openBySender() {
        return open;
    }
}
