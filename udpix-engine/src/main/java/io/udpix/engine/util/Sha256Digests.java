package io.udpix.engine.util;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * New SHA-256 digests by cloning a prototype: {@code MessageDigest.getInstance} searches the security providers
 * each time, which profiled as the largest single cost of opening a small transfer (thousands per second).
 */
public final class Sha256Digests {
    private static final MessageDigest PROTOTYPE = create();

    private Sha256Digests() {
    }

    /** A fresh SHA-256 digest; any thread (the prototype is never updated, only cloned). */
    public static MessageDigest newDigest() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return create(); // a provider whose digests cannot be cloned: look it up each time
        }
    }

    private static MessageDigest create() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
