package io.udpix.cli.send;

import io.udpix.cli.ClientTrust;
import io.udpix.cli.convert.HostPort;
import java.time.Duration;

/**
 * What {@code udpix send} was asked for, checked.
 *
 * @param to             the receiver
 * @param repeat         rounds to send (0 = until stopped)
 * @param interval       pause between rounds
 * @param connectTimeout native mode: how long to wait for the server's handshake
 * @param driver         native mode: the driver's name, or null for the API's default
 * @param plainHeader    plain mode: header layout text ({@code 8le}...)
 * @param chunkBytes     plain mode: piece size, 0 = automatic
 * @param waitEach       plain mode: stop-and-wait
 * @param plainTimeout   plain mode: reply timeout
 * @param trust          native mode: how the server's key is checked and the client's key
 * @param retries        native mode: how often an item refused with "try again later" (SERVER_BUSY) is sent again
 * @param streamKey      native mode: the stream key the receiver publishes items under (the names' directory part),
 *                       or null for the receiver's default
 * @param resume         native mode: files of at least 1 MiB go resumable (the receiver's partial file is used)
 * @param maxRateBytesPerSecond native mode: cap on the sending rate, {@code Long.MAX_VALUE} for none
 */
record SendSettings(HostPort to, long repeat, Duration interval, Duration connectTimeout, String driver,
                    String plainHeader, int chunkBytes, boolean waitEach, Duration plainTimeout, ClientTrust trust,
                    int retries, String streamKey, boolean resume, long maxRateBytesPerSecond) {

    /** Resumable, no rate cap. */
    SendSettings(HostPort to, long repeat, Duration interval, Duration connectTimeout, String driver,
            String plainHeader, int chunkBytes, boolean waitEach, Duration plainTimeout, ClientTrust trust,
            int retries, String streamKey) {
        this(to, repeat, interval, connectTimeout, driver, plainHeader, chunkBytes, waitEach, plainTimeout, trust,
                retries, streamKey, true, Long.MAX_VALUE);
    }

    /** Without retries or a stream key. */
    SendSettings(HostPort to, long repeat, Duration interval, Duration connectTimeout, String driver,
            String plainHeader, int chunkBytes, boolean waitEach, Duration plainTimeout, ClientTrust trust) {
        this(to, repeat, interval, connectTimeout, driver, plainHeader, chunkBytes, waitEach, plainTimeout, trust, 0,
                null);
    }

    /** True when another round is due after {@code roundsDone}. */
    boolean moreRounds(long roundsDone) {
        return repeat == 0 || roundsDone < repeat;
    }

    /** Sleeps {@link #interval()} unless it is zero (interruptible: a stop ends the loop). */
    void pause() throws InterruptedException {
        if (!interval.isZero()) {
            Thread.sleep(interval.toMillis(), (int) (interval.toNanos() % 1_000_000));
        }
    }
}
