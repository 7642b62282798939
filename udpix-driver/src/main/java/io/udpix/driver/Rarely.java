package io.udpix.driver;

/**
 * Logs the 1st, 2nd, 4th, 8th... occurrence of a fault, so a fault on every datagram cannot flood the log; shared
 * by every driver.
 */
public final class Rarely {
    private Rarely() {}

    /** Logs {@code message} at WARNING when {@code count} (the fault's running count, from 1) is a power of two. */
    public static void log(System.Logger log, long count, String message, Throwable e) {
        if (Long.bitCount(count) == 1) {
            log.log(System.Logger.Level.WARNING, message + " (occurrence " + count + ")", e);
        }
    }
}
