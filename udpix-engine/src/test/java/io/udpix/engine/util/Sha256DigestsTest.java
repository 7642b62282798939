package io.udpix.engine.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256DigestsTest {

    @Test
    void givesIndependentDigestsThatComputeTheStandardSha256() {
        MessageDigest first = Sha256Digests.newDigest();
        MessageDigest second = Sha256Digests.newDigest();
        first.update("a".getBytes(StandardCharsets.US_ASCII));

        // FIPS 180-2 example "abc".
        byte[] abc = second.digest("abc".getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(abc))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(HexFormat.of().formatHex(first.digest("bc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(HexFormat.of().formatHex(abc));
    }
}
