package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class PacketHeaderTest {

    @Test
    void writesFieldsBigEndianAtTheDocumentedOffsetsAndReadsThemBack() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        buf.position(7).limit(50);
        int end = PacketHeader.write(buf, 3, PacketType.DATA, 0x1122334455667788L, 0x01020304L);

        assertThat(end).isEqualTo(3 + PacketHeader.LENGTH);
        assertThat(TestSeeds.hex(buf, 3, end)).isEqualTo("5558" + "02" + "10" + "1122334455667788" + "01020304");
        PacketHeader header = new PacketHeader().wrap(buf, 3);
        assertThat(header.magic()).isEqualTo(PacketHeader.MAGIC);
        assertThat(header.version()).isEqualTo(PacketHeader.VERSION);
        assertThat(header.type()).isEqualTo(PacketType.DATA);
        assertThat(header.connectionId()).isEqualTo(0x1122334455667788L);
        assertThat(header.packetNumber()).isEqualTo(0x01020304L);
        assertThat(buf.position()).isEqualTo(7);
        assertThat(buf.limit()).isEqualTo(50);
    }

    @Test
    void settersRoundTripTheLargestValues() {
        ByteBuffer buf = ByteBuffer.allocateDirect(PacketHeader.LENGTH);
        PacketHeader header = new PacketHeader().wrap(buf, 0)
                .writeMagic().version(255).type(255).connectionId(-1L).packetNumber(PacketHeader.MAX_PACKET_NUMBER);

        assertThat(header.version()).isEqualTo(255);
        assertThat(header.type()).isEqualTo(255);
        assertThat(header.connectionId()).isEqualTo(-1L);
        assertThat(header.packetNumber()).isEqualTo(0xFFFF_FFFFL);
        assertThat(PacketHeader.check(buf, 0, PacketHeader.LENGTH)).isEqualTo(PacketHeader.LENGTH);
    }

    @Test
    void rejectsPacketNumbersThatDoNotFitIn32Bits() {
        PacketHeader header = new PacketHeader().wrap(ByteBuffer.allocate(16), 0);
        assertThatThrownBy(() -> header.packetNumber(1L << 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("packetNumber");
        assertThatThrownBy(() -> header.packetNumber(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hasMagicNeedsFourBytesAndTheMagic() {
        ByteBuffer buf = ByteBuffer.allocate(16);
        PacketHeader.write(buf, 0, PacketType.HELLO, 0, 0);
        assertThat(PacketHeader.hasMagic(buf, 0, 4)).isTrue();
        assertThat(PacketHeader.hasMagic(buf, 0, 3)).isFalse();
        assertThat(PacketHeader.hasMagic(buf, 1, 16)).isFalse();
        assertThat(PacketHeader.hasMagic(buf, -1, 16)).isFalse();
        assertThat(PacketHeader.hasMagic(buf, 0, 17)).isFalse();
        assertThat(PacketHeader.hasMagic(null, 0, 16)).isFalse();
        assertThat(PacketHeader.check(buf, 0, 15)).isEqualTo(-1);
    }
}
