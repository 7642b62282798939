package io.udpix.driver.epoll;

/** Logs the 1st, 2nd, 4th, 8th... occurrence of a fault, so a fault on every datagram cannot flood the log. */
final class Rarely {
    private Rarely() {}

    static void log(System.Logger log, long count, String message, Throwable e) {
        if (Long.bitCount(count) == 1) {
            log.log(System.Logger.Level.WARNING, message + " (occurrence " + count + ")", e);
        }
    }
}
