package io.udpix.api;

import io.udpix.engine.event.TransferInfo;

/** Whether an incoming item's OPEN said RESUMABLE (until the wire's extension block lands: never). */
final class ResumeSeam {
    private ResumeSeam() {
    }

    static boolean resumable(TransferInfo info) {
        return false;
    }

    static TransferInfo markResumable(TransferInfo info) {
        return info;
    }
}
