package io.udpix.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandshakePacketsTest {

    private static byte[] cookie() {
        byte[] cookie = new byte[Cookie.LENGTH];
        for (int i = 0; i < cookie.length; i++) {
            cookie[i] = (byte) (0xA0 + i);
        }
        return cookie;
    }

    @Test
    void helloRoundTripsWithCookieAndZeroPadding() {
        ByteBuffer buf = ByteBuffer.allocate(1500);
        int start = 5;
        int payloadEnd = start + HelloPacket.MIN_DATAGRAM_BYTES - Crc32cProtection.TAG_LENGTH;
        int end = HelloPacket.encode(buf, start, 0x0102030405060708L, 1452, 30_000, cookie(), Cookie.LENGTH,
                payloadEnd);

        assertThat(end).isEqualTo(payloadEnd);
        HelloPacket hello = new HelloPacket().wrap(buf, start);
        assertThat(hello.header().type()).isEqualTo(PacketType.HELLO);
        assertThat(hello.header().connectionId()).isZero();
        assertThat(hello.header().packetNumber()).isZero();
        assertThat(hello.clientConnectionId()).isEqualTo(0x0102030405060708L);
        assertThat(hello.maxDatagramBytes()).isEqualTo(1452);
        assertThat(hello.idleTimeoutMs()).isEqualTo(30_000);
        assertThat(hello.cookieLength()).isEqualTo(Cookie.LENGTH);
        assertThat(hello.cookieOffset()).isEqualTo(start + HelloPacket.COOKIE_OFFSET);
        byte[] copy = new byte[Cookie.LENGTH];
        assertThat(hello.copyCookie(copy)).isEqualTo(Cookie.LENGTH);
        assertThat(copy).isEqualTo(cookie());
        assertThat(hello.bodyEnd()).isEqualTo(start + PacketHeader.LENGTH + HelloPacket.bodyLength(Cookie.LENGTH, 0));
        assertThat(TestSeeds.hex(buf, start + 16, start + 31))
                .isEqualTo("0102030405060708" + "05ac" + "00007530" + "18");
        assertThat(HelloPacket.check(buf, start, payloadEnd)).isEqualTo(payloadEnd - start);
    }

    @Test
    void helloWithoutCookieOrNoiseMessageIsSeventeenBodyBytes() {
        ByteBuffer buf = ByteBuffer.allocate(600);
        HelloPacket.encode(buf, 0, 7, 1200, 1000, null, 0, 508);
        HelloPacket hello = new HelloPacket().wrap(buf, 0);
        assertThat(HelloPacket.bodyLength(0, 0)).isEqualTo(17);
        assertThat(hello.cookieLength()).isZero();
        assertThat(hello.noiseLength()).isZero();
        assertThat(hello.bodyEnd()).isEqualTo(33);
        assertThat(HelloPacket.check(buf, 0, 508)).isEqualTo(508);
    }

    @Test
    void helloCarriesTheNoiseMessageAfterTheCookieThenZeroPadding() {
        ByteBuffer buf = ByteBuffer.allocate(600);
        byte[] noise = {1, 2, 3, 4, 5};
        HelloPacket.encode(buf, 0, 7, 1200, 1000, cookie(), Cookie.LENGTH, noise, 508);
        HelloPacket hello = new HelloPacket().wrap(buf, 0);
        assertThat(hello.noiseLengthIndex()).isEqualTo(HelloPacket.COOKIE_OFFSET + Cookie.LENGTH);
        assertThat(hello.noiseLength()).isEqualTo(5);
        assertThat(TestSeeds.hex(buf, hello.noiseLengthIndex(), hello.bodyEnd())).isEqualTo("00050102030405");
        assertThat(HelloPacket.check(buf, 0, 508)).isEqualTo(508);
        BigEndian.putU16(buf, hello.noiseLengthIndex(), 600);
        assertThat(HelloPacket.check(buf, 0, 508)).as("noise beyond the packet").isEqualTo(-1);
    }

    @Test
    void helloCheckRejectsNonzeroPaddingBadCookieLengthAndZeroClientId() {
        ByteBuffer buf = ByteBuffer.allocate(600);
        HelloPacket.encode(buf, 0, 7, 1200, 1000, cookie(), Cookie.LENGTH, 508);
        buf.put(400, (byte) 1);
        assertThat(HelloPacket.check(buf, 0, 508)).isEqualTo(-1);
        buf.put(400, (byte) 0);
        buf.put(HelloPacket.COOKIE_LENGTH_OFFSET, (byte) 23);
        assertThat(HelloPacket.check(buf, 0, 508)).isEqualTo(-1);
        buf.put(HelloPacket.COOKIE_LENGTH_OFFSET, (byte) 24);
        BigEndian.putI64(buf, HelloPacket.CLIENT_CONNECTION_ID_OFFSET, 0);
        assertThat(HelloPacket.check(buf, 0, 508)).isEqualTo(-1);
        assertThatThrownBy(() -> new HelloPacket().wrap(buf, 0).cookie(cookie(), 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 or 24");
    }

    @Test
    void retryRoundTripsAndPinsByteOrder() {
        ByteBuffer buf = ByteBuffer.allocate(100);
        int end = RetryPacket.encode(buf, 2, 0x55L, 0x0203, cookie());
        assertThat(end).isEqualTo(2 + RetryPacket.LENGTH);
        RetryPacket retry = new RetryPacket().wrap(buf, 2);
        assertThat(retry.header().type()).isEqualTo(PacketType.RETRY);
        assertThat(retry.header().connectionId()).isEqualTo(0x55L);
        assertThat(retry.helloSizeBytes()).isEqualTo(0x0203);
        assertThat(TestSeeds.hex(buf, 2 + RetryPacket.HELLO_SIZE_BYTES_OFFSET, 2 + 19)).isEqualTo("020318");
        byte[] copy = new byte[Cookie.LENGTH];
        assertThat(retry.copyCookie(copy)).isEqualTo(Cookie.LENGTH);
        assertThat(copy).isEqualTo(cookie());
        assertThat(RetryPacket.check(buf, 2, end)).isEqualTo(RetryPacket.LENGTH);
        assertThat(RetryPacket.check(buf, 2, end + 1)).as("trailing byte").isEqualTo(-1);

        retry.helloSizeBytes(1200).cookie(new byte[Cookie.LENGTH], Cookie.LENGTH);
        assertThat(retry.helloSizeBytes()).isEqualTo(1200);
        retry.copyCookie(copy);
        assertThat(copy).containsOnly(0);
    }

    @Test
    void acceptCarriesNoiseMessageTwoAndChecksItsLength() {
        ByteBuffer buf = ByteBuffer.allocateDirect(256);
        byte[] noise = new byte[AcceptPacket.MIN_NOISE_BYTES + 3];
        noise[0] = 0x11;
        int end = AcceptPacket.encode(buf, 0, 9, noise);
        assertThat(end).isEqualTo(AcceptPacket.NOISE_OFFSET + noise.length);
        AcceptPacket accept = new AcceptPacket().wrap(buf, 0);
        assertThat(accept.header().connectionId()).isEqualTo(9);
        assertThat(accept.header().version()).isEqualTo(2);
        assertThat(accept.noiseLength()).isEqualTo(noise.length);
        assertThat(accept.noise()).isEqualTo(noise);
        assertThat(AcceptPacket.check(buf, 0, end)).isEqualTo(end);
        assertThat(AcceptPacket.check(buf, 0, end - 1)).as("short").isEqualTo(-1);
        assertThatThrownBy(() -> AcceptPacket.encode(buf, 0, 9, new byte[10]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void finishCarriesNoiseMessageThreeToTheServersId() {
        ByteBuffer buf = ByteBuffer.allocate(256);
        byte[] noise = new byte[FinishPacket.MIN_NOISE_BYTES];
        int end = FinishPacket.encode(buf, 0, 0x1234, noise);
        FinishPacket finish = new FinishPacket().wrap(buf, 0);
        assertThat(finish.header().type()).isEqualTo(PacketType.FINISH).isEqualTo(0x06);
        assertThat(finish.header().connectionId()).isEqualTo(0x1234);
        assertThat(finish.noise()).isEqualTo(noise);
        assertThat(FinishPacket.check(buf, 0, end)).isEqualTo(end);
        buf.put(PacketHeader.TYPE_OFFSET, (byte) PacketType.ACCEPT);
        assertThat(FinishPacket.check(buf, 0, end)).isEqualTo(-1);
    }

    @Test
    void resetCarriesItsTokenAfterTheErrorCode() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        byte[] token = new byte[16];
        token[15] = 0x7F;
        int end = ResetPacket.encode(buf, 0, 0x99, ErrorCode.UNKNOWN_CONNECTION, token);
        assertThat(end).isEqualTo(ResetPacket.LENGTH).isEqualTo(34);
        ResetPacket reset = new ResetPacket().wrap(buf, 0);
        assertThat(reset.errorCode()).isEqualTo(ErrorCode.UNKNOWN_CONNECTION);
        assertThat(buf.get(reset.tokenIndex() + 15)).isEqualTo((byte) 0x7F);
        assertThat(ResetPacket.check(buf, 0, end)).isEqualTo(34);
        assertThat(ResetPacket.check(buf, 0, end - 16)).as("a v1 RESET without token").isEqualTo(-1);
    }

    @Test
    void versionPacketHasHeaderVersionZeroAndListsVersions() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = VersionPacket.encode(buf, 0, 0x77, new int[] {1, 2, 9}, 3);
        assertThat(end).isEqualTo(VersionPacket.length(3)).isEqualTo(20);
        VersionPacket packet = new VersionPacket().wrap(buf, 0);
        assertThat(packet.header().version()).isZero();
        assertThat(packet.header().type()).isEqualTo(PacketType.VERSION);
        assertThat(packet.header().connectionId()).isEqualTo(0x77);
        assertThat(packet.count()).isEqualTo(3);
        assertThat(new int[] {packet.supportedVersion(0), packet.supportedVersion(1), packet.supportedVersion(2)})
                .containsExactly(1, 2, 9);
        assertThat(TestSeeds.hex(buf, 16, 20)).isEqualTo("03010209");
        assertThat(VersionPacket.check(buf, 0, end)).isEqualTo(end);

        packet.header().version(1);
        assertThat(VersionPacket.check(buf, 0, end)).as("a real version in the header").isEqualTo(-1);
        assertThatThrownBy(() -> VersionPacket.encode(buf, 0, 1, new int[17], 17))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resetRoundTripsItsErrorCode() {
        ByteBuffer buf = ByteBuffer.allocate(48);
        int end = ResetPacket.encode(buf, 0, 0x1234, ErrorCode.UNKNOWN_CONNECTION);
        assertThat(end).isEqualTo(ResetPacket.LENGTH).isEqualTo(34);
        ResetPacket reset = new ResetPacket().wrap(buf, 0);
        assertThat(reset.header().connectionId()).isEqualTo(0x1234);
        assertThat(reset.errorCode()).isEqualTo(ErrorCode.UNKNOWN_CONNECTION);
        assertThat(TestSeeds.hex(buf, 16, 18)).isEqualTo("0009");
        assertThat(ResetPacket.check(buf, 0, end)).isEqualTo(34);
        reset.errorCode(0xBEEF);
        assertThat(reset.errorCode()).isEqualTo(0xBEEF);
        assertThat(ResetPacket.check(buf, 0, end - 1)).isEqualTo(-1);
    }

    @Test
    void packetChecksRejectAnotherPacketsType() {
        ByteBuffer buf = ByteBuffer.allocate(64);
        int end = ResetPacket.encode(buf, 0, 1, 1);
        assertThat(AcceptPacket.check(buf, 0, end)).isEqualTo(-1);
        assertThat(RetryPacket.check(buf, 0, end)).isEqualTo(-1);
        buf.put(PacketHeader.TYPE_OFFSET, (byte) PacketType.HELLO);
        assertThat(ResetPacket.check(buf, 0, end)).isEqualTo(-1);
        assertThat(Arrays.asList(PacketHeader.check(buf, 0, end))).containsExactly(16);
    }
}
