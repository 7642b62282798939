package io.udpix.cli.send;

import io.udpix.cli.ExitCodes;
import io.udpix.cli.report.Units;

/** What a send run achieved: items confirmed and failed, the first failure, the exit code it calls for. */
final class SendTally {

    private long confirmed;
    private long confirmedBytes;
    private long failed;
    private String firstFailure;
    private int exitCode = ExitCodes.OK;
    private final long startNs = System.nanoTime();

    /** An item the receiver confirmed. */
    private long movedBytes;

    void confirmed(long lengthBytes) {
        confirmed(lengthBytes, lengthBytes);
    }

    /** A confirmed item of which only {@code movedBytes} were sent (a resumed transfer, README "Resuming"). */
    void confirmed(long lengthBytes, long movedBytes) {
        confirmed++;
        confirmedBytes += lengthBytes;
        this.movedBytes += movedBytes;
    }

    /** An item that failed with {@code reason}; the first failure decides the exit code. */
    void failed(String reason, int code) {
        failed++;
        if (firstFailure == null) {
            firstFailure = reason;
            exitCode = code;
        }
    }

    long confirmed() {
        return confirmed;
    }

    long failed() {
        return failed;
    }

    int exitCode() {
        return exitCode;
    }

    /** One line: {@code 20 items (1.5 MiB) confirmed by 127.0.0.1:9000 in 1.20 s} or the failure. */
    String summary(String receiver) {
        if (failed == 0) {
            String moved = movedBytes == confirmedBytes ? "" : "; " + Units.size(movedBytes) + " sent, the rest"
                    + " resumed";
            return confirmed + " items (" + Units.size(confirmedBytes) + moved + ") confirmed by " + receiver + " in "
                    + Units.duration(java.time.Duration.ofNanos(System.nanoTime() - startNs));
        }
        if (failed == 1 && confirmed == 0) {
            return firstFailure;
        }
        return failed + " of " + (failed + confirmed) + " items not confirmed by " + receiver + "; first: "
                + firstFailure;
    }
}
