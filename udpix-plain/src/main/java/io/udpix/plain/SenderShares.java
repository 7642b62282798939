package io.udpix.plain;

import java.net.InetAddress;
import java.util.HashMap;

/**
 * What each sender address (all its ports together) holds of the receiver's budgets: declared bytes of its open
 * items, memory they use, and how many there are. An address has an entry only while it has an open item, so
 * the map never holds more entries than {@link PlainReceiverConfig#maxOpenSenders()}.
 */
final class SenderShares {

    /** One address's holdings. */
    static final class Share {
        final InetAddress address;
        long pendingBytes;
        long memoryBytes;
        int openItems;

        Share(InetAddress address) {
            this.address = address;
        }
    }

    private final HashMap<InetAddress, Share> byAddress = new HashMap<>();

    /** The address's share, or null when it has no open item. */
    Share get(InetAddress address) {
        return byAddress.get(address);
    }

    /** Counts a newly opened item of {@code declaredBytes} for {@code address}. */
    Share open(InetAddress address, long declaredBytes) {
        Share share = byAddress.computeIfAbsent(address, Share::new);
        share.openItems++;
        share.pendingBytes += declaredBytes;
        return share;
    }

    /** Counts an item closed (complete or dropped); its memory was released through the budget already. */
    void close(Share share, long declaredBytes) {
        share.openItems--;
        share.pendingBytes -= declaredBytes;
        if (share.openItems <= 0) {
            byAddress.remove(share.address);
        }
    }

    /** Addresses with an open item. */
    int addresses() {
        return byAddress.size();
    }
}
