package io.udpix.api.trust;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * The addresses a server takes handshakes from: IPv4 and IPv6 ranges in CIDR notation ({@code 10.0.0.0/8},
 * {@code fd00::/8}) or single addresses ({@code 192.168.1.5}, {@code ::1}). Only literals: a name would need a
 * lookup, and a name's addresses change. Tested on the engine's thread once per HELLO (never per data packet).
 */
public final class AddressRanges implements Predicate<InetAddress> {
    /** Bound on the ranges of one list: each HELLO is tested against all of them. */
    public static final int MAX_RANGES = 1024;

    private final List<Range> ranges;
    private final String text;

    private AddressRanges(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * Parses entries, each one range or several separated by commas.
     *
     * @throws IllegalArgumentException naming the bad entry and what a good one looks like
     */
    public static AddressRanges parse(Collection<String> entries) {
        List<Range> ranges = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (String entry : entries) {
            for (String part : entry.split(",", -1)) {
                String t = part.strip();
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("empty address range in '" + entry + "'; give e.g. "
                            + "10.0.0.0/8,192.168.1.5,::1");
                }
                if (ranges.size() == MAX_RANGES) {
                    throw new IllegalArgumentException("more than " + MAX_RANGES + " address ranges; join "
                            + "neighbouring ones into wider CIDR ranges");
                }
                ranges.add(Range.parse(t));
                texts.add(t);
            }
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("no address range given; give e.g. 10.0.0.0/8");
        }
        return new AddressRanges(List.copyOf(ranges), String.join(",", texts));
    }

    /** {@link #parse(Collection)} of {@code entries}. */
    public static AddressRanges parse(String... entries) {
        return parse(List.of(entries));
    }

    /** True when {@code address} is in one of the ranges. */
    @Override
    public boolean test(InetAddress address) {
        byte[] bytes = address.getAddress(); // One 4- or 16-byte copy per HELLO; InetAddress offers no other view.
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }

    /** One CIDR range. */
    private record Range(byte[] network, int prefixBits) {

        static Range parse(String text) {
            String t = text;
            int slash = t.indexOf('/');
            String host = slash < 0 ? t : t.substring(0, slash);
            InetAddress ip = IpLiteral.parse(host);
            if (ip == null) {
                throw bad(text, "not an IP address");
            }
            byte[] address = ip.getAddress();
            int maxBits = address.length * 8;
            int bits = maxBits;
            if (slash >= 0) {
                String p = t.substring(slash + 1);
                if (!p.matches("\\d{1,3}")) {
                    throw bad(text, "the prefix length after '/' is not a number");
                }
                bits = Integer.parseInt(p);
                if (bits > maxBits) {
                    throw bad(text, "the prefix length is over " + maxBits);
                }
            }
            byte[] network = address.clone();
            for (int i = 0; i < network.length; i++) {
                network[i] &= mask(i, bits);
            }
            return new Range(network, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false; // Java reports IPv4-mapped IPv6 peers as IPv4, so families never mix here.
            }
            for (int i = 0; i < network.length; i++) {
                if ((address[i] & mask(i, prefixBits)) != (network[i] & 0xff)) {
                    return false;
                }
            }
            return true;
        }

        private static int mask(int byteIndex, int prefixBits) {
            int bitsHere = Math.max(0, Math.min(8, prefixBits - byteIndex * 8));
            return (0xff << (8 - bitsHere)) & 0xff;
        }

        private static IllegalArgumentException bad(String text, String why) {
            return new IllegalArgumentException("'" + text + "' is not an address range (" + why + "); give an "
                    + "IPv4 or IPv6 address or CIDR range, e.g. 10.0.0.0/8, 192.168.1.5, ::1 or fd00::/8");
        }
    }
}
