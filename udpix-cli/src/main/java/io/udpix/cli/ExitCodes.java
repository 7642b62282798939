package io.udpix.cli;

/** The process exit codes of {@code udpix}, as listed in {@code udpix --help}. */
public final class ExitCodes {

    /** Everything asked for was done (for send: every item confirmed by the receiver's SHA-256). */
    public static final int OK = 0;
    /** A transfer failed: not confirmed, timed out, refused, or the data did not match. */
    public static final int TRANSFER_FAILED = 1;
    /** The command line was wrong: unknown option, bad value, missing argument. */
    public static final int BAD_USAGE = 2;
    /** A socket could not be bound (port in use, address not local) or the peer could not be resolved/reached. */
    public static final int CANNOT_BIND_OR_REACH = 3;
    /**
     * A key was refused: the server's key is not the one pinned (--server-key) or recorded in known_servers, or
     * the server does not admit this client's key or address. The message says which and how to fix it.
     */
    public static final int AUTHENTICATION = 4;

    private ExitCodes() {
    }
}
