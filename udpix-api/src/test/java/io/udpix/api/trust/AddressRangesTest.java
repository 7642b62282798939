package io.udpix.api.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressRangesTest {

    @Test
    void admitsAddressesInsideAnIpv4RangeAndRefusesTheRest() throws Exception {
        AddressRanges ranges = AddressRanges.parse("10.0.0.0/8");

        assertThat(ranges.test(ip("10.0.0.1"))).isTrue();
        assertThat(ranges.test(ip("10.255.255.255"))).isTrue();
        assertThat(ranges.test(ip("11.0.0.0"))).isFalse();
        assertThat(ranges.test(ip("127.0.0.1"))).isFalse();
        assertThat(ranges.test(ip("::1"))).isFalse();
    }

    @Test
    void takesSingleAddressesIpv6RangesAndCommaListsAcrossEntries() throws Exception {
        AddressRanges ranges = AddressRanges.parse("192.168.1.5,::1", "fd00::/8", "[2001:db8::]/32");

        assertThat(ranges.test(ip("192.168.1.5"))).isTrue();
        assertThat(ranges.test(ip("192.168.1.6"))).isFalse();
        assertThat(ranges.test(ip("::1"))).isTrue();
        assertThat(ranges.test(ip("::2"))).isFalse();
        assertThat(ranges.test(ip("fdab::7"))).isTrue();
        assertThat(ranges.test(ip("fe80::1"))).isFalse();
        assertThat(ranges.test(ip("2001:db8:1::1"))).isTrue();
        assertThat(ranges.test(ip("2001:db9::1"))).isFalse();
    }

    @Test
    void aPrefixThatIsNotOnAByteBoundaryMasksTheRightBits() throws Exception {
        AddressRanges ranges = AddressRanges.parse("172.16.0.0/12");

        assertThat(ranges.test(ip("172.16.0.1"))).isTrue();
        assertThat(ranges.test(ip("172.31.255.255"))).isTrue();
        assertThat(ranges.test(ip("172.32.0.0"))).isFalse();
        assertThat(ranges.test(ip("172.15.255.255"))).isFalse();
    }

    @Test
    void aZeroPrefixAdmitsEveryAddressOfItsFamilyOnly() throws Exception {
        AddressRanges v4 = AddressRanges.parse("0.0.0.0/0");

        assertThat(v4.test(ip("203.0.113.9"))).isTrue();
        assertThat(v4.test(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void refusesBadEntriesNamingTheEntry() {
        for (String bad : new String[] {"10.0.0.0/33", "::/129", "example.com", "10.0.0/8", "10.0.0.0/x",
                "300.1.1.1", "1.2.3.4/8/8"}) {
            assertThatThrownBy(() -> AddressRanges.parse("127.0.0.1," + bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> AddressRanges.parse("10.0.0.0/8,")).hasMessageContaining("empty");
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
