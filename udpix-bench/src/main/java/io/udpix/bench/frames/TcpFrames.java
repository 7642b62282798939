package io.udpix.bench.frames;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * TCP as a frame transport: each frame as a 4-byte big-endian length and its bytes, in order, TCP_NODELAY, the
 * kernel's congestion control. Nothing is ever dropped, so when the link is short of rate the frames queue and
 * their latency grows: the baseline every "just use TCP" answer gives.
 */
public final class TcpFrames implements FramePeer {
    /** Frames longer than this are refused by the receiver (a corrupt length would otherwise allocate it). */
    static final int MAX_FRAME_BYTES = 64 << 20;
    private static final int SOCKET_BUFFER_BYTES = 4 << 20;

    @Override
    public Receiver receive(String bindHost, int port, Sink sink) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.setReceiveBufferSize(SOCKET_BUFFER_BYTES);
        server.bind(new InetSocketAddress(InetAddress.getByName(bindHost), port), 1);
        Thread t = new Thread(() -> {
            try (Socket s = server.accept(); DataInputStream in = new DataInputStream(s.getInputStream())) {
                byte[] buffer = new byte[1 << 20];
                while (true) {
                    int length;
                    try {
                        length = in.readInt();
                    } catch (EOFException e) {
                        sink.ended("end of stream");
                        return;
                    }
                    if (length <= 0 || length > MAX_FRAME_BYTES) {
                        sink.ended("bad frame length " + length);
                        return;
                    }
                    if (buffer.length < length) {
                        buffer = new byte[length];
                    }
                    in.readFully(buffer, 0, length);
                    sink.frame(buffer, 0, length, FramePeer.nowUs(), true);
                }
            } catch (IOException e) {
                sink.ended("receive failed: " + e);
            }
        }, "tcp-frames-receiver");
        t.setDaemon(true);
        t.start();
        return server::close;
    }

    @Override
    public Sender send(String host, int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSendBufferSize(SOCKET_BUFFER_BYTES);
        s.connect(new InetSocketAddress(host, port), 10_000);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
        return new Sender() {
            @Override
            public boolean send(byte[] frame) throws IOException {
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
                return true;
            }

            @Override
            public void close() throws IOException {
                out.flush();
                s.close();
            }
        };
    }
}
