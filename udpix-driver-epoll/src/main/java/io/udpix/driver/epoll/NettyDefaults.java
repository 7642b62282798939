package io.udpix.driver.epoll;

import java.util.concurrent.ThreadLocalRandom;

/**
 * System properties Netty reads once, set before its classes initialise so that starting a driver does no slow
 * work it does not need. Each is set only when the user has not set it.
 */
final class NettyDefaults {
    /**
     * Netty's channel IDs embed a "machine ID", which it otherwise finds by walking every network interface for a
     * MAC address (slow, and in a network namespace without one it logs a warning and uses random bytes anyway).
     * The IDs only need to be unique within this process, so random bytes from the start do.
     */
    static final String MACHINE_ID = "io.netty.machineId";

    private NettyDefaults() {
    }

    /** Sets the defaults; idempotent. */
    static void apply() {
        if (System.getProperty(MACHINE_ID) == null) {
            byte[] id = new byte[8]; // EUI-64, one of the formats Netty parses
            ThreadLocalRandom.current().nextBytes(id);
            StringBuilder text = new StringBuilder(23);
            for (byte b : id) {
                if (text.length() > 0) {
                    text.append(':');
                }
                text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            System.setProperty(MACHINE_ID, text.toString());
        }
    }
}
