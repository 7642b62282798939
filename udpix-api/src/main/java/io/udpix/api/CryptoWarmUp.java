package io.udpix.api;

import io.udpix.engine.crypto.PacketCipher;
import java.security.GeneralSecurityException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Once per JVM, a background thread that gets AES-GCM compiled with the JDK's intrinsics before the first
 * transfer needs it ({@link PacketCipher#warmUp}); clients and servers start it and never wait for it.
 */
final class CryptoWarmUp {
    /** Enough small seals and opens for C2 to compile the GCM call paths (measured: ~20,000). */
    static final int ROUNDS = 20_000;
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    private static final AtomicBoolean PREPARED = new AtomicBoolean();

    private CryptoWarmUp() {
    }

    /**
     * Once per JVM, a background thread that makes one AES-GCM seal and open and one HMAC-SHA256, so the JDK's
     * crypto providers are loaded and checked while the first HELLO is on its way: otherwise the I/O thread does
     * that when ACCEPT arrives, between the server's answer and FINISH (about 0.1 s of a cold JVM's critical
     * path, measured with strace on a loaded machine). Cheap; clients start it even without {@link #start}.
     */
    static void prepare() {
        if (PREPARED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                PacketCipher.warmUp(1);
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
                    mac.doFinal(new byte[32]);
                } catch (GeneralSecurityException e) {
                    // The handshake will report it, on the thread that needs it.
                }
            }, "udpix-crypto-prepare");
            t.setDaemon(true);
            t.start();
        }
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
