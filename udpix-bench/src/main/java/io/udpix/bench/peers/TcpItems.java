package io.udpix.bench.peers;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * TCP with the same guarantees as udpix: each item framed as [client, item, length, SHA-256, bytes]; the
 * receiver hashes the bytes and counts the item only when the hash matches. One connection per client,
 * TCP_NODELAY, one reader thread per connection.
 */
final class TcpItems implements ItemTool {
    static final int MAX_ITEM_BYTES = 64 << 20;
    static final int MAX_CONNECTIONS = 64;
    private ServerSocket server;
    private volatile boolean closing;
    private final List<Socket> accepted = new ArrayList<>();

    @Override
    public void startReceiver(String host, int port, ReceiptSink receipts) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), MAX_CONNECTIONS);
        Thread acceptor = new Thread(() -> {
            try {
                for (int i = 0; i < MAX_CONNECTIONS; i++) {
                    Socket s = server.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                    Thread reader = new Thread(() -> read(s, receipts), "tcp-items-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
            } catch (IOException e) {
                // closed at the end of the run
            }
        }, "tcp-items-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void read(Socket s, ReceiptSink receipts) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 18))) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] expected = new byte[32];
            byte[] buffer = new byte[1 << 16];
            while (true) {
                int client;
                try {
                    client = in.readInt();
                } catch (EOFException end) {
                    return;
                }
                int item = in.readInt();
                int length = in.readInt();
                if (length < 0 || length > MAX_ITEM_BYTES) {
                    receipts.failed(client, item, "length " + length + " out of range");
                    return;
                }
                in.readFully(expected);
                if (buffer.length < length) {
                    buffer = new byte[Math.max(length, buffer.length * 2)];
                }
                in.readFully(buffer, 0, length);
                sha.update(buffer, 0, length);
                if (Arrays.equals(sha.digest(), expected)) {
                    receipts.verified(client, item);
                } else {
                    receipts.failed(client, item, "SHA-256 mismatch");
                }
            }
        } catch (Exception e) {
            if (!closing) {
                System.err.println("TcpItems: reader ended: " + e);
            }
        }
    }

    @Override
    public Sender connect(String host, int port, int client, ReceiptSink receipts) throws Exception {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        return new Sender() {
            @Override
            public void send(int item, byte[] bytes) throws IOException {
                out.writeInt(client);
                out.writeInt(item);
                out.writeInt(bytes.length);
                out.write(sha.digest(bytes));
                out.write(bytes);
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.flush();
                s.shutdownOutput();
                s.close();
            }
        };
    }

    @Override
    public void close() throws IOException {
        closing = true;
        if (server != null) {
            server.close();
        }
        synchronized (accepted) {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
