package io.udpix.engine.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Our Noise_XX_25519_AESGCM_SHA256 against the published cacophony test vectors, byte for byte.
 *
 * <p>Source: the cacophony vectors as shipped in mcginty/snow, {@code tests/vectors/cacophony.txt} at commit
 * aabed3159deec0a0dfe3d5601c43322d84700c94, entry with {@code "protocol_name": "Noise_XX_25519_AESGCM_SHA256"}
 * (values copied verbatim, hex). An older copy of that file (commit 62fbfae) lists another handshake_hash
 * (c7c118c3...) with the same messages; the later file corrected it, and ours matches the corrected value, which
 * is also what section 5.2's MixHash sequence gives over these messages. Messages alternate
 * initiator, responder, initiator (the handshake), then responder, initiator, responder (transport, empty AD).
 */
class NoiseVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    static final String PROLOGUE = "4a6f686e2047616c74";
    static final String INIT_STATIC = "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1";
    static final String INIT_EPHEMERAL = "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a";
    static final String RESP_STATIC = "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893";
    static final String RESP_EPHEMERAL = "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b";
    static final String HANDSHAKE_HASH = "1b7aefb1125762aa21a252890d00af54519638b76437444538f9a52f21e2e0dc";
    static final String[][] MESSAGES = {
        {"4c756477696720766f6e204d69736573",
            "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"},
        {"4d757272617920526f746862617264",
            "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843757117acceb05bd7a45733bc22015c97a9d0cb"
                + "af41b80446d5988ff5127235d76b79eade70f473d6a4ef521fdcbeda5340d01e028ba793fc059f2724a83af05f12dda04"
                + "48a7621a926b379a92477fd"},
        {"462e20412e20486179656b",
            "c90f1cf77eba4e50edb038991565e36c9758943a989229b6051244dc4fbecb6946744b401af2ee1a5881b65fbb87fd07cb6a"
                + "328ececc9ce6ce84c399dc332d4fd521fa4bb7f467ce909395"},
        {"4361726c204d656e676572", "bc3fa77f6aca3e8466d7dc6bea10013e88a6a29add5132b461806c"},
        {"4a65616e2d426170746973746520536179", "250b01074cdfe0df2ecf8ccbf1737b15a2ddb5b52fd9a396604e9c793cee3b3bb9"},
        {"457567656e2042f6686d20766f6e2042617765726b",
            "449d4d433b3cdc3d02bf6fc881774b9df54366ebcffb9689bb13f14709822cd7ef42bcdb4d"},
    };

    private static byte[] hex(String s) {
        return HEX.parseHex(s);
    }

    @Test
    void handshakeMessagesTransportCiphertextsAndHashMatchThePublishedVectors() throws NoiseException {
        StaticKeyPair initStatic = StaticKeyPair.fromPrivateKey(hex(INIT_STATIC));
        StaticKeyPair respStatic = StaticKeyPair.fromPrivateKey(hex(RESP_STATIC));
        HandshakeState init = HandshakeState.withEphemeral(true, initStatic, hex(PROLOGUE), hex(INIT_EPHEMERAL));
        HandshakeState resp = HandshakeState.withEphemeral(false, respStatic, hex(PROLOGUE), hex(RESP_EPHEMERAL));

        byte[] m1 = init.writeMessage(hex(MESSAGES[0][0]));
        assertThat(HEX.formatHex(m1)).isEqualTo(MESSAGES[0][1]);
        assertThat(resp.readMessage(m1)).isEqualTo(hex(MESSAGES[0][0]));

        byte[] m2 = resp.writeMessage(hex(MESSAGES[1][0]));
        assertThat(HEX.formatHex(m2)).isEqualTo(MESSAGES[1][1]);
        assertThat(init.readMessage(m2)).isEqualTo(hex(MESSAGES[1][0]));
        assertThat(init.remoteStaticKey()).isEqualTo(respStatic.publicKey());

        byte[] m3 = init.writeMessage(hex(MESSAGES[2][0]));
        assertThat(HEX.formatHex(m3)).isEqualTo(MESSAGES[2][1]);
        assertThat(resp.readMessage(m3)).isEqualTo(hex(MESSAGES[2][0]));
        assertThat(resp.remoteStaticKey()).isEqualTo(initStatic.publicKey());


        byte[][] initKeys = init.split();
        byte[][] respKeys = resp.split();
        assertThat(initKeys[0]).isEqualTo(respKeys[0]);
        assertThat(initKeys[1]).isEqualTo(respKeys[1]);
        CipherState initToResp = new CipherState();
        initToResp.initializeKey(initKeys[0]);
        CipherState respToInit = new CipherState();
        respToInit.initializeKey(initKeys[1]);
        byte[] none = new byte[0];
        assertThat(HEX.formatHex(respToInit.encryptWithAd(none, hex(MESSAGES[3][0])))).isEqualTo(MESSAGES[3][1]);
        assertThat(HEX.formatHex(initToResp.encryptWithAd(none, hex(MESSAGES[4][0])))).isEqualTo(MESSAGES[4][1]);
        assertThat(HEX.formatHex(respToInit.encryptWithAd(none, hex(MESSAGES[5][0])))).isEqualTo(MESSAGES[5][1]);
        assertThat(HEX.formatHex(init.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
        assertThat(HEX.formatHex(resp.handshakeHash())).isEqualTo(HANDSHAKE_HASH);
    }

    @Test
    void aTamperedHandshakeMessageFailsAndLeavesTheStateForTheGenuineOne() throws NoiseException {
        SecureRandom random = new SecureRandom();
        HandshakeState init = HandshakeState.initiator(StaticKeyPair.generate(random), hex(PROLOGUE), random);
        HandshakeState resp = HandshakeState.responder(StaticKeyPair.generate(random), hex(PROLOGUE), random);
        resp.readMessage(init.writeMessage(new byte[0]));
        byte[] m2 = resp.writeMessage(hex("0102"));
        byte[] forged = m2.clone();
        forged[forged.length - 1] ^= 1;
        assertThatThrownBy(() -> init.readMessage(forged)).isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> init.readMessage(new byte[10])).isInstanceOf(NoiseException.class);
        assertThat(init.readMessage(m2)).isEqualTo(hex("0102"));
        resp.readMessage(init.writeMessage(new byte[0]));
        assertThat(init.handshakeHash()).isEqualTo(resp.handshakeHash());
    }

    @Test
    void aDifferentPrologueFailsTheHandshake() throws NoiseException {
        SecureRandom random = new SecureRandom();
        HandshakeState init = HandshakeState.initiator(StaticKeyPair.generate(random), hex("01"), random);
        HandshakeState resp = HandshakeState.responder(StaticKeyPair.generate(random), hex("02"), random);
        resp.readMessage(init.writeMessage(new byte[0]));
        byte[] m2 = resp.writeMessage(new byte[0]);
        assertThatThrownBy(() -> init.readMessage(m2)).isInstanceOf(NoiseException.class);
    }

    @Test
    void aLowOrderEphemeralKeyIsRefused() throws NoiseException {
        SecureRandom random = new SecureRandom();
        HandshakeState resp = HandshakeState.responder(StaticKeyPair.generate(random), hex("01"), random);
        resp.readMessage(new byte[32]); // e = all zeros: a low-order point
        assertThatThrownBy(() -> resp.writeMessage(new byte[0])).isInstanceOf(NoiseException.class)
                .hasMessageContaining("low order");
    }
}
