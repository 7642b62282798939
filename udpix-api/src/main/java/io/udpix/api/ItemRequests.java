package io.udpix.api;

/**
 * Runs the server's {@link ItemHandler} for a verified item on the request pool and sends its {@link Reply} back
 * when the sender asked for one (docs/PROTOCOL.md section 5.5). Never blocks: a full pool answers a request with a
 * "busy" error at once and skips the handler for an item that asked for nothing (counted, logged rarely).
 */
final class ItemRequests {
    private static final System.Logger LOG = System.getLogger(UdpixServer.class.getName());
    /** The error a request gets from a server without an {@code onItem} handler. */
    static final String NO_HANDLER = "no reply handler: this server stores items but does not answer requests "
            + "(its application sets none with UdpixServer.Builder.onItem; udpix serve needs --exec)";

    private ItemRequests() {
    }

    /**
     * Hands {@code item} to the handler, or answers the request at once; runs {@code then} when the item is no
     * longer used (after the handler, or now).
     *
     * @param target where the reply goes, or null when the sender asked for none
     */
    static void handOff(ServerContext ctx, ReceivedItem item, Target target, Runnable then) {
        ItemHandler handler = ctx.itemHandler;
        if (handler == null) {
            try {
                if (target != null) {
                    target.send(Reply.error(NO_HANDLER).toItem());
                }
            } finally {
                then.run();
            }
            return;
        }
        boolean queued = ctx.requests.submit(item.sender().getAddress(), () -> {
            try {
                Reply reply = call(handler, item);
                if (target != null) {
                    target.send(reply.toItem());
                }
            } finally {
                then.run();
            }
        });
        if (!queued) {
            try {
                long refused = ctx.requests.refused();
                if ((refused & (refused - 1)) == 0) { // 1st, 2nd, 4th... time: a flood does not flood the log
                    LOG.log(System.Logger.Level.WARNING, "item handler queue full ({0} refused so far): "
                            + "{1} from {2} {3}", refused, item.name(), item.sender(),
                            target != null ? "answered busy" : "not handed to the handler");
                }
                if (target != null) {
                    target.send(Reply.error(ctx.requests.busyReason()).toItem());
                }
            } finally {
                then.run();
            }
        }
    }

    /** The handler's reply; an exception becomes an error reply with its message. */
    static Reply call(ItemHandler handler, ReceivedItem item) {
        try {
            Reply reply = handler.handle(item);
            return reply == null ? Reply.none() : reply;
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.log(System.Logger.Level.DEBUG, "item handler failed on " + item + ": " + e, e);
            String message = e.getMessage();
            return Reply.error(message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
        }
    }

    /** Where one request's reply goes. */
    record Target(ReplyChannel channel, long connectionId, int requestId, java.net.InetSocketAddress peer) {
        void send(Item reply) {
            channel.send(connectionId, requestId, peer, reply);
        }
    }
}
