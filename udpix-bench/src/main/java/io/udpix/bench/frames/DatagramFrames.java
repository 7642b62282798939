package io.udpix.bench.frames;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The tutorial's way: one UDP datagram per frame (`sock.sendto(cv2.imencode(...))`), so a frame must fit the
 * largest UDP payload, 65,507 bytes (RFC 768 length field less the IPv4 and UDP headers). On a 1,500-byte path
 * the kernel fragments it into about 45 IP fragments (RFC 791); losing any one loses the frame, and nothing is
 * resent.
 */
public final class DatagramFrames implements FramePeer {
    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM_BYTES = 65_507;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    @Override
    public Receiver receive(String bindHost, int port, Sink sink) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReceiveBufferSize(SOCKET_BUFFER_BYTES);
        socket.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port));
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[MAX_DATAGRAM_BYTES + 1];
            DatagramPacket p = new DatagramPacket(buffer, buffer.length);
            while (!socket.isClosed()) {
                try {
                    p.setLength(buffer.length);
                    socket.receive(p);
                    sink.frame(buffer, 0, p.getLength(), FramePeer.nowUs(), true);
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        sink.ended("receive failed: " + e);
                    }
                    return;
                }
            }
        }, "datagram-frames-receiver");
        t.setDaemon(true);
        t.start();
        return socket::close;
    }

    @Override
    public Sender send(String host, int port) throws IOException {
        DatagramSocket socket = new DatagramSocket();
        socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
        InetSocketAddress to = new InetSocketAddress(host, port);
        return new Sender() {
            @Override
            public boolean send(byte[] frame) throws IOException {
                if (frame.length > MAX_DATAGRAM_BYTES) {
                    return false;
                }
                socket.send(new DatagramPacket(frame, frame.length, to));
                return true;
            }

            @Override
            public void close() {
                socket.close();
            }
        };
    }
}
