package io.udpix.bench.peers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import tech.kwik.core.QuicClientConnection;
import tech.kwik.core.QuicConnection;
import tech.kwik.core.QuicStream;
import tech.kwik.core.log.Logger;
import tech.kwik.core.log.SysOutLogger;
import tech.kwik.core.server.ApplicationProtocolConnection;
import tech.kwik.core.server.ApplicationProtocolConnectionFactory;
import tech.kwik.core.server.ServerConnectionConfig;
import tech.kwik.core.server.ServerConnector;

/**
 * QUIC file copy with kwik (tech.kwik:kwik): one bidirectional stream carries the file; the server answers one
 * byte after writing the last one, so the sender's exit marks delivery.
 *
 * <p>Tuned as kwik's docs advise for bulk transfer: its default stream receive window (the server's
 * max-stream-data, a few KB) caps a transfer at one window per round trip (about 1.7 MB/s measured), so both the
 * stream and the connection window are raised to {@code KWIK_WINDOW_BYTES} (default 16 MiB).
 *
 * <pre>
 *   java -cp udpix-bench.jar io.udpix.bench.peers.KwikCopy serve BIND_HOST PORT OUT_FILE KEYSTORE.p12 PASSWORD
 *   java -cp udpix-bench.jar io.udpix.bench.peers.KwikCopy send HOST PORT FILE
 * </pre>
 * The key store holds one key pair under the alias "kwik" (bench/lib/kwik.sh makes it with keytool).
 */
public final class KwikCopy {
    static final String PROTOCOL = "udpix-bench";
    static final long WINDOW_BYTES = Long.getLong("kwik.window", 16L << 20);

    private KwikCopy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 6 && args[0].equals("serve")) {
            serve(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Path.of(args[3]), Path.of(args[4]),
                    args[5].toCharArray());
        } else if (args.length == 4 && args[0].equals("send")) {
            send(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
        } else {
            System.err.println("usage: KwikCopy serve BIND_HOST PORT OUT_FILE KEYSTORE.p12 PASSWORD"
                    + " | KwikCopy send HOST PORT FILE");
            System.exit(2);
        }
        System.exit(0); // kwik leaves non-daemon threads behind
    }

    private static Logger quietLogger() {
        SysOutLogger log = new SysOutLogger();
        log.logWarning(true);
        return log;
    }

    static void serve(InetAddress bind, int port, Path out, Path keyStorePath, char[] password)
            throws IOException, GeneralSecurityException, InterruptedException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStorePath)) {
            keyStore.load(in, password);
        }
        ServerConnectionConfig config = ServerConnectionConfig.builder()
                .maxOpenPeerInitiatedBidirectionalStreams(4)
                .maxConnectionBufferSize(WINDOW_BYTES)
                .maxBidirectionalStreamBufferSize(WINDOW_BYTES)
                .maxIdleTimeoutInSeconds(60)
                .build();
        CountDownLatch done = new CountDownLatch(1);
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(bind, port));
        socket.setReceiveBufferSize(4 << 20);
        socket.setSendBufferSize(4 << 20);
        ServerConnector connector = ServerConnector.builder().withSocket(socket)
                .withKeyStore(keyStore, "kwik", password).withConfiguration(config).withLogger(quietLogger())
                .build();
        connector.registerApplicationProtocol(PROTOCOL, new ApplicationProtocolConnectionFactory() {
            @Override
            public ApplicationProtocolConnection createConnection(String protocol, QuicConnection connection) {
                return new ApplicationProtocolConnection() {
                    @Override
                    public void acceptPeerInitiatedStream(QuicStream stream) {
                        Thread t = new Thread(() -> receive(stream, out, done), "kwik-receive");
                        t.start();
                    }
                };
            }

            @Override
            public int maxConcurrentPeerInitiatedBidirectionalStreams() {
                return 4;
            }

            @Override
            public long maxBidirectionalStreamReceiverBufferSize() {
                return WINDOW_BYTES;
            }

            @Override
            public int minBidirectionalStreamReceiverBufferSize() {
                return (int) Math.min(Integer.MAX_VALUE, WINDOW_BYTES);
            }
        });
        connector.start();
        System.out.println("listening on " + bind.getHostAddress() + ":" + port);
        System.out.flush();
        done.await();
        Thread.sleep(200); // let the reply byte and its ACK go out before the process ends
        connector.close();
    }

    private static void receive(QuicStream stream, Path out, CountDownLatch done) {
        try (InputStream in = stream.getInputStream(); OutputStream file = Files.newOutputStream(out)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                file.write(buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("KwikCopy: receive failed: " + e);
        }
        try (OutputStream reply = stream.getOutputStream()) {
            reply.write(1);
        } catch (IOException e) {
            System.err.println("KwikCopy: reply failed: " + e);
        }
        done.countDown();
    }

    static void send(String host, int port, Path file) throws IOException {
        QuicClientConnection connection = QuicClientConnection.newBuilder()
                .uri(URI.create("https://" + host + ":" + port)).applicationProtocol(PROTOCOL)
                .noServerCertificateCheck().defaultStreamReceiveBufferSize(WINDOW_BYTES)
                .connectTimeout(Duration.ofSeconds(10)).maxIdleTimeout(Duration.ofSeconds(60))
                .logger(quietLogger()).build();
        connection.connect();
        QuicStream stream = connection.createStream(true);
        try (InputStream in = Files.newInputStream(file); OutputStream out = stream.getOutputStream()) {
            in.transferTo(out);
        }
        int reply = stream.getInputStream().read();
        connection.closeAndWait(Duration.ofSeconds(2));
        if (reply != 1) {
            System.err.println("KwikCopy: the receiver did not confirm; the copy is incomplete");
            System.exit(1);
        }
    }
}
