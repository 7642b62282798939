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
 * <p>Contract: single-threaded; {@code nowNs} never decreases between calls; no method throws on bad input.
 */
public final class PlainReceiver implements AutoCloseable {

    /** Largest datagram the receiver inspects as a whole (the largest UDP payload fits). */
    public static final int MAX_DATAGRAM_BYTES = 65_535;
    /** Largest reply; a {@link #pollReply} buffer of this capacity always fits. */
    public static final int MAX_REPLY_BYTES = 2048;

    private static final Logger LOG = LoggerFactory.getLogger(PlainReceiver.class);

    private final PlainReceiverConfig config;
    private final byte[] okReply;
    // Access order: the eldest entry is the least recently active sender, whose silence deadline is the nearest
    // (all share one timeout) and who is evicted first.
    private final LinkedHashMap<InetSocketAddress, ItemAssembly> open = new LinkedHashMap<>(64, 0.75f, true);
    private final ArrayDeque<PlainItem> completed = new ArrayDeque<>();
    private final ReplyQueue replies;
    private final MemoryBudget memory;
    private final PlainCounters counters = new PlainCounters();
    private final byte[] scratch = new byte[MAX_DATAGRAM_BYTES];
    private long pendingBytes;

    /** A receiver with the given settings. */
    public PlainReceiver(PlainReceiverConfig config) {
        this.config = config;
        this.okReply = config.replyBytes();
        this.replies = new ReplyQueue(config.maxQueuedReplies());
        this.memory = new MemoryBudget(config.memoryTotalBytes());
    }

    /** Handles one datagram from {@code from}, read from position to limit (on return, position == limit). */
    public void handleDatagram(InetSocketAddress from, ByteBuffer data, long nowNs) {
        int length = data.remaining();
        counters.datagram(length);
        ItemAssembly item = open.get(from);
        if (item != null) {
            continueItem(item, data, nowNs);
            return;
        }
        if (length > scratch.length) {
            data.position(data.limit());
            reject(from, PlainErrorReason.GARBAGE, "error: datagram of " + length + " bytes is larger than UDP allows");
            return;
        }
        data.get(scratch, 0, length);
        String imageExtension = ItemSniffer.imageExtension(scratch, 0, length);
        if (imageExtension != null) {
            complete(new PlainItem(from, PlainItemKind.IMAGE, imageExtension, length, copyOfScratch(length), null));
            return;
        }
        if (ItemSniffer.isJsonDocument(scratch, 0, length)) {
            complete(new PlainItem(from, PlainItemKind.JSON, "json", length, copyOfScratch(length), null));
            return;
        }
        PlainHeaderFormat header = config.headerFormat();
        if (length == header.lengthBytes()) {
            openItem(from, header.decode(scratch, 0), nowNs);
            return;
        }
        reject(from, PlainErrorReason.GARBAGE, "error: datagram of " + length + " bytes is not an image, a JSON"
                + " object or array, or a " + header.describe() + " length header, and no item is open from "
                + from);
    }

    /** Discards the partial items of senders silent for the silence timeout. */
    public void handleTimeout(long nowNs) {
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
                    + " datagrams)");
        }
    }

    /** When {@link #handleTimeout} next has work; {@code Long.MAX_VALUE} when no item is open. */
    public long nextDeadlineNs() {
        if (open.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return open.values().iterator().next().lastActivityNs + config.silenceTimeoutNs();
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
        }
        open.clear();
        pendingBytes = 0;
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
                    + " bytes; item discarded");
            return;
        }
        try {
            item.append(data, memory, config);
        } catch (IOException e) {
            data.position(data.limit());
            open.remove(item.from);
            dropOpenItem(item, PlainErrorReason.STORE_FAILED, "error: receiver could not store the item ("
                    + e.getMessage() + "); item discarded");
            return;
        }
        item.lastActivityNs = nowNs;
        if (!item.isComplete()) {
            reply(item.from, okReply);
            return;
        }
        open.remove(item.from);
        pendingBytes -= item.declaredBytes;
        PlainItem done;
        try {
            done = item.finish(memory);
        } catch (IOException e) {
            item.discard(memory);
            reject(item.from, PlainErrorReason.STORE_FAILED, "error: receiver could not store the item ("
                    + e.getMessage() + "); item discarded");
            return;
        }
        complete(done);
    }

    private void openItem(InetSocketAddress from, long declaredBytes, long nowNs) {
        if (declaredBytes <= 0) {
            reject(from, PlainErrorReason.LENGTH_NOT_POSITIVE, "error: declared length " + declaredBytes
                    + " is not positive; the header must be a " + config.headerFormat().describe() + " byte count");
            return;
        }
        if (declaredBytes > config.maxItemBytes()) {
            reject(from, PlainErrorReason.LENGTH_TOO_LARGE, "error: declared length " + declaredBytes
                    + " exceeds --max-size " + config.maxItemBytes());
            return;
        }
        if (declaredBytes > config.maxPendingBytes() - pendingBytes) {
            reject(from, PlainErrorReason.BUSY, "error: receiver busy: " + pendingBytes + " bytes already pending"
                    + " from other senders (limit " + config.maxPendingBytes() + "); retry later");
            return;
        }
        if (open.size() >= config.maxOpenSenders()) {
            Iterator<ItemAssembly> eldestFirst = open.values().iterator();
            ItemAssembly eldest = eldestFirst.next();
            eldestFirst.remove();
            dropOpenItem(eldest, PlainErrorReason.EVICTED, "error: item discarded: more than "
                    + config.maxOpenSenders() + " senders were mid-item and " + eldest.from
                    + " was the least recently active");
        }
        open.put(from, new ItemAssembly(from, declaredBytes, nowNs));
        pendingBytes += declaredBytes;
        reply(from, okReply);
    }

    private void complete(PlainItem item) {
        if (completed.size() >= config.maxQueuedItems()) {
            item.discard();
            reject(item.from(), PlainErrorReason.BUSY, "error: receiver busy: " + completed.size()
                    + " completed items are waiting to be stored; item discarded, retry later");
            return;
        }
        completed.add(item);
        counters.item(item.kind());
        reply(item.from(), okReply);
    }

    /** Discards an item already taken out of the open set, and tells its sender why. */
    private void dropOpenItem(ItemAssembly item, PlainErrorReason reason, String message) {
        pendingBytes -= item.declaredBytes;
        item.discard(memory);
        LOG.warn("plain: discarded a partial item from {} after {} of {} bytes: {}", item.from, item.receivedBytes,
                item.declaredBytes, message);
        counters.error(reason);
        reply(item.from, errorBytes(message));
    }

    private void reject(InetSocketAddress from, PlainErrorReason reason, String message) {
        // Refused headers are logged (an operator wants to see them); garbage only at debug, as it can be a flood.
        if (reason == PlainErrorReason.GARBAGE) {
            LOG.debug("plain: {}: {}", from, message);
        } else {
            LOG.warn("plain: refused {}: {}", from, message);
        }
        counters.error(reason);
        reply(from, errorBytes(message));
    }

    private void reply(InetSocketAddress to, byte[] bytes) {
        if (!replies.offer(to, bytes)) {
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

    /** For tests: the open items by sender. */
    Map<InetSocketAddress, ItemAssembly> openBySender() {
        return open;
    }
}
