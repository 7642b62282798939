package io.udpix.driver;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/** Bind failures rewritten to name the address, the cause and the fix; shared by every driver. */
public final class BindErrors {
    private BindErrors() {}

    /** The error for a name that does not resolve; binding needs an address. */
    public static BindException unresolved(InetSocketAddress bind) {
        return new BindException("cannot bind " + bind.getHostString()
                + ": the name does not resolve; use an IP address such as 127.0.0.1");
    }

    /**
     * True for the failures {@link #describe} explains (the kernel's bind errors, as the JDK or Netty report them);
     * others (a closed loop, a bug) keep their own type.
     */
    public static boolean isBindFailure(Throwable e) {
        return e instanceof IOException;
    }

    /** Rewrites a bind failure so it names the address, the cause and the fix; keeps the original as cause. */
    public static BindException describe(InetSocketAddress bind, Throwable e) {
        String host = bind.getAddress().getHostAddress();
        int port = bind.getPort();
        String detail = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        String message;
        if (detail.contains("in use")) {
            message = "port " + port + " on " + host + " is in use; pick another with --port";
        } else if (detail.contains("assign requested address") || detail.contains("not available")) {
            message = "cannot bind " + host + ": address not available (no interface here has it); use one of "
                    + "this machine's addresses, such as 127.0.0.1, or 0.0.0.0 for all";
        } else if (detail.contains("permission denied") || detail.contains("access")) {
            message = "port " + port + " on " + host + " needs privileges; pick one above 1023 with --port";
        } else {
            message = "cannot bind " + host + " port " + port + ": " + e.getMessage();
        }
        BindException described = new BindException(message);
        described.initCause(e);
        return described;
    }
}
