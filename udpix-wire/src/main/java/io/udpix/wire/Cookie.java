package io.udpix.wire;

/**
 * Layout of the address-validation cookie carried by RETRY and echoed in HELLO (RFC 9000 section 8.1); the
 * engine computes and verifies it, the codecs only carry its bytes.
 *
 * <pre>
 *  0                   4                                              24
 *  +-------------------+-----------------------------------------------+
 *  | issueTimeSeconds  | MAC: first 20 bytes of an HMAC-SHA256          |
 *  | u32               |                                               |
 *  +-------------------+-----------------------------------------------+
 * </pre>
 */
public final class Cookie {

    /** Total cookie length in bytes. */
    public static final int LENGTH = 24;
    /** Offset of the u32 issue time (seconds of the issuer's clock). */
    public static final int ISSUE_TIME_OFFSET = 0;
    /** Offset of the truncated MAC. */
    public static final int MAC_OFFSET = 4;
    /** Length of the truncated MAC. */
    public static final int MAC_LENGTH = 20;

    private Cookie() {
    }
}
