package io.udpix.driver.epoll;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Turns the kernel's terse bind errors (as Netty reports them: "bind(..) failed: Address already in use") into the
 * same messages the NIO driver gives, naming the address, the cause and the fix.
 */
final class BindFailures {
    private BindFailures() {}

    /** The error for a name that does not resolve; binding needs an address. */
    static BindException unresolved(InetSocketAddress bind) {
        return new BindException("cannot bind " + bind.getHostString()
                + ": the name does not resolve; use an IP address such as 127.0.0.1");
    }

    /** Rewrites a bind failure so it names the address, the cause and the fix; keeps the original as cause. */
    static BindException describe(InetSocketAddress bind, Throwable e) {
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

    /** True for the failures {@link #describe} explains; others (a closed loop, a bug) keep their own type. */
    static boolean isBindFailure(Throwable e) {
        return e instanceof IOException;
    }
}
