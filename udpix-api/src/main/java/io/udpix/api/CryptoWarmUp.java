package io.udpix.api;

import io.udpix.engine.crypto.PacketCipher;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Once per JVM, a background thread that gets AES-GCM compiled with the JDK's intrinsics before the first
 * transfer needs it ({@link PacketCipher#warmUp}); clients and servers start it and never wait for it.
 */
final class CryptoWarmUp {
    /** Enough small seals and opens for C2 to compile the GCM call paths (measured: ~20,000). */
    static final int ROUNDS = 20_000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private CryptoWarmUp() {
    }

    /** Starts the warm-up unless it already ran in this JVM. */
    static void start() {
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> PacketCipher.warmUp(ROUNDS), "udpix-crypto-warmup");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            t.start();
        }
    }
}
