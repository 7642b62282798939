package io.udpix.driver.epoll;

import io.udpix.driver.BindErrors;
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

    /** The NIO driver's wording, so both drivers fail alike ({@link BindErrors#describe}). */
    static BindException describe(InetSocketAddress bind, Throwable e) {
        return BindErrors.describe(bind, e);
    }

    /** True for the failures {@link #describe} explains; others (a closed loop, a bug) keep their own type. */
    static boolean isBindFailure(Throwable e) {
        return e instanceof IOException;
    }
}
