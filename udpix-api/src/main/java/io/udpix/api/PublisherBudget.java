package io.udpix.api;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bounded room of an {@link ItemPublisher}: items and bytes reserved but not yet durable, in all and per sender
 * IP address (like the engine's {@code PeerShares}: one host with many sockets is one peer), so a slow or dead
 * destination fills the room, after which new items are refused ("try later") instead of memory growing, and one
 * sender can never take more than its share of the room the others need. Thread-safe; a map entry exists only
 * while its address holds room, so the map is bounded by {@code maxItems}.
 */
public final class PublisherBudget {
    /** By default one address may hold a quarter of the room: at least four senders are needed to fill it. */
    public static final int DEFAULT_SHARE_DIVISOR = 4;

    private final int maxItems;
    private final long maxBytes;
    private final int maxItemsPerAddress;
    private final long maxBytesPerAddress;
    private final String what;

    // Guarded by this.
    private final Map<InetAddress, Share> shares = new HashMap<>();
    private int items;
    private long bytes;

    /**
     * Room for {@code maxItems} items and {@code maxBytes} bytes in all, a quarter of each per address;
     * {@code what} names the destination in refusals ("Kafka").
     */
    public PublisherBudget(String what, int maxItems, long maxBytes) {
        this(what, maxItems, maxBytes, Math.max(1, maxItems / DEFAULT_SHARE_DIVISOR),
                Math.max(1, maxBytes / DEFAULT_SHARE_DIVISOR));
    }

    /** Room with explicit per-address shares. */
    public PublisherBudget(String what, int maxItems, long maxBytes, int maxItemsPerAddress, long maxBytesPerAddress) {
        if (maxItems < 1 || maxBytes < 1 || maxItemsPerAddress < 1 || maxItemsPerAddress > maxItems
                || maxBytesPerAddress < 1 || maxBytesPerAddress > maxBytes) {
            throw new IllegalArgumentException("publisher budget needs 1 <= per address <= total, was " + maxItems
                    + " items / " + maxItemsPerAddress + " per address, " + maxBytes + " bytes / "
                    + maxBytesPerAddress + " per address");
        }
        this.what = what;
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        this.maxItemsPerAddress = maxItemsPerAddress;
        this.maxBytesPerAddress = maxBytesPerAddress;
    }

    /**
     * Reserves room for one item of {@code sizeBytes} from {@code sender}.
     *
     * @throws PublisherRefusedException (try later) when the room or the sender's share is used up
     */
    public ItemPublisher.Reservation reserve(InetSocketAddress sender, long sizeBytes)
            throws PublisherRefusedException {
        InetAddress address = sender.getAddress();
        synchronized (this) {
            Share share = shares.get(address);
            int peerItems = share == null ? 0 : share.items;
            long peerBytes = share == null ? 0 : share.bytes;
            if (items + 1 > maxItems || bytes + sizeBytes > maxBytes) {
                throw new PublisherRefusedException("the receiver's " + what + " buffer is full: " + items
                        + " items (" + Sizes.text(bytes) + ") wait for " + what + " to acknowledge them (limit "
                        + maxItems + " items / " + Sizes.text(maxBytes) + "); " + what
                        + " is slow or down; try again later", true);
            }
            if (peerItems + 1 > maxItemsPerAddress || peerBytes + sizeBytes > maxBytesPerAddress) {
                throw new PublisherRefusedException("the receiver's " + what + " buffer is shared: "
                        + address.getHostAddress() + " already has " + peerItems + " items ("
                        + Sizes.text(peerBytes) + ") waiting for " + what + ", its share is " + maxItemsPerAddress
                        + " items / " + Sizes.text(maxBytesPerAddress) + "; try again later", true);
            }
            if (share == null) {
                share = new Share();
                shares.put(address, share);
            }
            share.items++;
            share.bytes += sizeBytes;
            items++;
            bytes += sizeBytes;
        }
        return new Held(address, sizeBytes);
    }

    /** Items holding room now. */
    public synchronized int items() {
        return items;
    }

    /** Bytes holding room now. */
    public synchronized long bytes() {
        return bytes;
    }

    /** Items holding room now for {@code address}. */
    public synchronized int items(InetAddress address) {
        Share share = shares.get(address);
        return share == null ? 0 : share.items;
    }

    private synchronized void release(InetAddress address, long sizeBytes) {
        Share share = shares.get(address);
        if (share != null) {
            share.bytes -= sizeBytes;
            if (--share.items == 0) {
                shares.remove(address);
            }
        }
        items--;
        bytes -= sizeBytes;
    }

    /** One address's items holding room. */
    private static final class Share {
        int items;
        long bytes;
    }

    /** Room held by one item; released once. */
    private final class Held implements ItemPublisher.Reservation {
        private final InetAddress address;
        private final long sizeBytes;
        private final AtomicBoolean released = new AtomicBoolean();

        Held(InetAddress address, long sizeBytes) {
            this.address = address;
            this.sizeBytes = sizeBytes;
        }

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                PublisherBudget.this.release(address, sizeBytes);
            }
        }
    }
}
