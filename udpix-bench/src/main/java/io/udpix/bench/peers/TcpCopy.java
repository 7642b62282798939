package io.udpix.bench.peers;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The plain Java socket copy that bench/run measures beside nc and socat: one file over one TCP connection with
 * FileChannel.transferTo/transferFrom (sendfile/splice where the JDK can), then a one-byte reply once the receiver
 * has written the last byte, so the sender's exit marks delivery as udpix's does.
 *
 * <pre>
 *   java -cp udpix-bench.jar io.udpix.bench.peers.TcpCopy serve BIND_HOST PORT OUT_FILE   (one file, then exits)
 *   java -cp udpix-bench.jar io.udpix.bench.peers.TcpCopy send HOST PORT FILE
 * </pre>
 */
public final class TcpCopy {
    /** Socket buffers as Linux auto-tunes them up to; asked for explicitly so both ends agree. */
    static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private TcpCopy() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !(args[0].equals("serve") || args[0].equals("send"))) {
            System.err.println("usage: TcpCopy serve BIND_HOST PORT OUT_FILE | TcpCopy send HOST PORT FILE");
            System.exit(2);
        }
        int port = Integer.parseInt(args[2]);
        Path file = Path.of(args[3]);
        if (args[0].equals("serve")) {
            serve(InetAddress.getByName(args[1]), port, file);
        } else {
            send(args[1], port, file);
        }
    }

    static void serve(InetAddress bind, int port, Path out) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.socket().setReceiveBufferSize(SOCKET_BUFFER_BYTES);
            server.bind(new InetSocketAddress(bind, port));
            System.out.println("listening on " + bind.getHostAddress() + ":" + port);
            System.out.flush();
            try (SocketChannel conn = server.accept();
                    FileChannel fc = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                long position = 0;
                while (true) {
                    long n = fc.transferFrom(conn, position, 8L << 20);
                    if (n <= 0) {
                        break; // transferFrom returns 0 at end of stream
                    }
                    position += n;
                }
                conn.shutdownInput();
                conn.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            }
        }
    }

    static void send(String host, int port, Path file) throws IOException {
        try (SocketChannel conn = SocketChannel.open();
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            conn.socket().setSendBufferSize(SOCKET_BUFFER_BYTES);
            conn.connect(new InetSocketAddress(host, port));
            long size = fc.size();
            long position = 0;
            while (position < size) {
                position += fc.transferTo(position, size - position, conn);
            }
            conn.shutdownOutput();
            java.nio.ByteBuffer reply = java.nio.ByteBuffer.allocate(1);
            if (conn.read(reply) != 1) {
                System.err.println("TcpCopy: the receiver closed without confirming; the copy is incomplete");
                System.exit(1);
            }
        }
    }

}
