package io.udpix.api;

import io.udpix.engine.event.TransferInfo;

/** Reads and sets the OPEN's RESUMABLE extension (docs/PROTOCOL.md sections 4.4a and 5.5). */
final class ResumeSeam {
    private ResumeSeam() {
    }

    /** Whether an incoming item's OPEN said RESUMABLE (it then also carries the SHA-256 of the whole). */
    static boolean resumable(TransferInfo info) {
        return info.extensions().resumable() && !info.digestFollows();
    }

    /** {@code info} announced RESUMABLE. */
    static TransferInfo markResumable(TransferInfo info) {
        return info.withExtensions(info.extensions().withResumable());
    }
}
