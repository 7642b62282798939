package io.udpix.bench.peers;

/** One transport under test in {@link ItemBench}: a receiver that reports verified items, and senders. */
interface ItemTool extends AutoCloseable {
    /** Starts the receiver on {@code port}; it calls {@link ReceiptSink#verified} for each item whose hash matched. */
    void startReceiver(String host, int port, ReceiptSink receipts) throws Exception;

    /** A sender for client {@code client} (connected and ready when this returns). */
    Sender connect(String host, int port, int client, ReceiptSink receipts) throws Exception;

    /** Sends items; each call returns once the item is handed to the transport (not when it is received). */
    interface Sender extends AutoCloseable {
        void send(int item, byte[] bytes) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Where receivers and senders report each item's outcome. */
    interface ReceiptSink {
        /** The receiver verified the item's SHA-256. */
        void verified(int client, int item);

        /** The item failed (wrong hash, transport error). */
        void failed(int client, int item, String why);
    }

    /** Names of items on the wire: "c{client}-i{item}.jpg". */
    static String name(int client, int item) {
        return "c" + client + "-i" + item + ".jpg";
    }

    /** The client and item numbers of {@link #name}, or null when the name is not one of ours. */
    static int[] parse(String name) {
        try {
            int dash = name.indexOf("-i");
            int dot = name.lastIndexOf('.');
            return new int[] {Integer.parseInt(name.substring(1, dash)), Integer.parseInt(name.substring(dash + 2, dot))};
        } catch (RuntimeException e) {
            return null;
        }
    }
}
