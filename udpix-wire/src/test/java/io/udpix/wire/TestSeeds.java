package io.udpix.wire;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;

/** Seeds for randomized tests: {@code -Dudpix.seed=N} replays a run, otherwise each run draws a fresh seed. */
final class TestSeeds {

    private TestSeeds() {
    }

    /** The seed from the udpix.seed system property, or a fresh random one. */
    static long seed() {
        String property = System.getProperty("udpix.seed");
        if (property != null && !property.isBlank()) {
            return Long.parseLong(property.trim());
        }
        return ThreadLocalRandom.current().nextLong();
    }

    /** Hex dump of {@code buf[from, to)}, clamped to the buffer, for assertion messages. */
    static String hex(ByteBuffer buf, int from, int to) {
        int start = Math.max(0, from);
        int end = Math.min(Math.min(to, buf.capacity()), start + 512);
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < end; i++) {
            sb.append(String.format("%02x", buf.get(i) & 0xFF));
        }
        return end < to ? sb + "..." : sb.toString();
    }
}
