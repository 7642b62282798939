package io.udpix.engine.transfer;

import io.udpix.engine.event.TransferInfo;
import java.net.InetSocketAddress;

/** Chooses a sink for each incoming transfer, or refuses it. */
@FunctionalInterface
public interface SinkFactory {
    /**
     * A sink for the transfer described by {@code info} from {@code peer}.
     *
     * @throws TransferRefusedException to refuse it (the sender gets the code and reason)
     */
    TransferSink open(long connectionId, InetSocketAddress peer, TransferInfo info) throws TransferRefusedException;

    /** A factory that refuses every incoming transfer (a pure client). */
    static SinkFactory refuseAll() {
        return (connectionId, peer, info) -> {
            throw new TransferRefusedException(io.udpix.wire.ErrorCode.REFUSED, "this endpoint does not receive items");
        };
    }
}
