package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.udpix.wire.ErrorCode;
import io.udpix.wire.FrameType;
import io.udpix.wire.PacketHeader;
import io.udpix.wire.PacketType;
import io.udpix.wire.ResultFrame;
import io.udpix.wire.TransferKind;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link UdpixServer} on loopback against {@link RawPeer}: a legitimate raw client stores a file while a
 * third socket, which knows the connection id (as an observer on the path would), sends a forged CLOSE. The forgery
 * is dropped, the file is stored, and the server's RESULT comes back authenticated.
 */
class ForgedPacketsOverSocketsTest {
    @TempDir
    Path dir;

    @Test
    void aForgedCloseFromAThirdSocketIsIgnoredAndTheFileIsStillStored() throws Exception {
        long seed = TestSeeds.seed(77);
        byte[] content = new byte[3000];
        new SplittableRandom(seed).nextBytes(content);
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(content);
        Path out = dir.resolve("out");
        UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).start();
        InetSocketAddress address = server.localAddresses().get(0);
        try (RawPeer peer = RawPeer.connect(address, null, 10_000);
                DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            peer.sendFrames(RawPeer.frames(RawPeer.open(0, TransferKind.FILE, content.length, sha,
                    "application/octet-stream", "raw.bin"), RawPeer.chunk(0, 0, java.util.Arrays.copyOf(content, 1000))));

            // The forged CLOSE: the right header (an observer sees it), a made-up tag.
            byte[] close = RawPeer.closeFrame(ErrorCode.OK, "");
            ByteBuffer forged = ByteBuffer.allocate(PacketHeader.LENGTH + close.length + 16);
            PacketHeader.write(forged, 0, PacketType.DATA, peer.serverConnectionId(), 1);
            forged.put(PacketHeader.LENGTH, close);
            for (int i = 0; i < 5; i++) {
                attacker.send(new DatagramPacket(forged.array(), forged.capacity(), address));
                peer.sendRaw(forged.array()); // even from the client's own address and port
            }

            peer.sendFrames(RawPeer.chunk(0, 1000, java.util.Arrays.copyOfRange(content, 1000, 3000)));
            byte[] result = null;
            for (int i = 0; i < 50 && result == null; i++) {
                byte[] frames = peer.receiveFrames(200);
                if (frames != null && RawPeer.find(frames, FrameType.RESULT) >= 0) {
                    result = frames;
                } else if (frames == null) {
                    peer.resendFinish();
                }
            }
            assertThat(result).as("an authenticated RESULT from the server").isNotNull();
            ResultFrame r = new ResultFrame().wrap(ByteBuffer.wrap(result), RawPeer.find(result, FrameType.RESULT));
            assertThat(r.code()).isEqualTo(ErrorCode.OK);
            assertThat(Files.readAllBytes(out.resolve("raw.bin"))).isEqualTo(content);
        } finally {
            server.close();
        }
    }
}
