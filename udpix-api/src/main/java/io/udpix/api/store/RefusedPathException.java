package io.udpix.api.store;

import java.io.IOException;

/**
 * The output directory cannot take a name as it is: one of its directories is a symbolic link or a file there.
 * The item is refused with this message (the sender sees it); nothing is written through the link.
 */
public final class RefusedPathException extends IOException {
    private static final long serialVersionUID = 1L;

    /** With the reason the sender sees: what is in the way and what to do. */
    public RefusedPathException(String reason) {
        super(reason);
    }
}
