package io.udpix.driver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import org.junit.jupiter.api.Test;

class FirstHopMtuTest {

    @Test
    void subtractsTheIpAndUdpHeadersFromTheInterfaceMtu() {
        assertThat(FirstHopMtu.payloadBytes(1500, false)).isEqualTo(1472);
        assertThat(FirstHopMtu.payloadBytes(1500, true)).isEqualTo(1452);
        assertThat(FirstHopMtu.payloadBytes(9000, false)).isEqualTo(8972);
        assertThat(FirstHopMtu.payloadBytes(65_536, false)).isEqualTo(65_507);
    }

    @Test
    void findsTheLoopbackInterfaceMtuTowardsALoopbackPeer() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        int mtu = NetworkInterface.getByInetAddress(loopback).getMTU();

        assertThat(FirstHopMtu.maxDatagramBytesTowards(new InetSocketAddress(loopback, 9)))
                .hasValue(FirstHopMtu.payloadBytes(mtu, false));
        assertThat(FirstHopMtu.maxDatagramBytesOn(loopback)).hasValue(FirstHopMtu.payloadBytes(mtu, false));
    }

    @Test
    void knowsNothingForAWildcardOrUnresolvedAddress() throws Exception {
        assertThat(FirstHopMtu.maxDatagramBytesOn(InetAddress.getByName("0.0.0.0"))).isEmpty();
        assertThat(FirstHopMtu.maxDatagramBytesTowards(InetSocketAddress.createUnresolved("no.such.host", 9)))
                .isEmpty();
    }
}
