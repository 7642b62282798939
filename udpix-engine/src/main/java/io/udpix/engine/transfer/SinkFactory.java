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

    /**
     * As {@link #open(long, InetSocketAddress, TransferInfo)}, also told the transfer's id (the sender's number,
     * unique within the connection): what the engine calls. A factory that names transfers (a publisher's dedup
     * key) overrides this one.
     */
    default TransferSink open(long connectionId, int transferId, InetSocketAddress peer, TransferInfo info)
            throws TransferRefusedException {
        return open(connectionId, peer, info);
    }

    /** A factory that refuses every incoming transfer (a pure client). */
    static SinkFactory refuseAll() {
        return (connectionId, peer, info) -> {
            throw new TransferRefusedException(io.udpix.wire.ErrorCode.REFUSED, "this endpoint does not receive items");
        };
    }
}
