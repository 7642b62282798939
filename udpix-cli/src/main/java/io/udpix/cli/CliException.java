package io.udpix.cli;

/**
 * A failure a subcommand reports to the user as one line, with the exit code to end with; the message should
 * name the cause and the fix ("port 9000 is in use; pick another with --port").
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure ending the process with {@code exitCode} (see {@link ExitCodes}). */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Exit code {@link ExitCodes#TRANSFER_FAILED}. */
    public static CliException transferFailed(String message, Throwable cause) {
        return new CliException(ExitCodes.TRANSFER_FAILED, message, cause);
    }

    /** Exit code {@link ExitCodes#BAD_USAGE}, for problems only found after parsing (e.g. a missing file). */
    public static CliException badUsage(String message) {
        return new CliException(ExitCodes.BAD_USAGE, message, null);
    }

    /** Exit code {@link ExitCodes#CANNOT_BIND_OR_REACH}. */
    public static CliException cannotBindOrReach(String message, Throwable cause) {
        return new CliException(ExitCodes.CANNOT_BIND_OR_REACH, message, cause);
    }

    /** The exit code to end with. */
    public int exitCode() {
        return exitCode;
    }
}
