package io.udpix.cli.hostile;

import io.udpix.api.ServerStats;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import io.udpix.engine.DropReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** Servers and clients as the hostile tests start them: in-process, on loopback, with an output directory. */
final class HostileServers {

    private HostileServers() {
    }

    /** A server on 127.0.0.1, a free port, saving to {@code dir}, after {@code customizer}. */
    static UdpixServer start(Path dir, Consumer<UdpixServer.Builder> customizer) throws IOException {
        return start(dir, 0, customizer);
    }

    /** A server on 127.0.0.1:{@code port} saving to {@code dir}, after {@code customizer}. */
    static UdpixServer start(Path dir, int port, Consumer<UdpixServer.Builder> customizer) throws IOException {
        UdpixServer.Builder builder = UdpixServer.builder().port(port).outputDirectory(dir)
                .closeGracePeriod(Duration.ofSeconds(1));
        customizer.accept(builder);
        return builder.start();
    }

    /** A client of {@code server} whose socket is on {@code local} (e.g. 127.0.0.2: another address). */
    static UdpixClient client(InetSocketAddress server, InetAddress local) throws IOException {
        return UdpixClient.builder(server).bind(new InetSocketAddress(local, 0))
                .connectTimeout(Duration.ofSeconds(5)).connect();
    }

    /** Drops counted under any reason whose name contains {@code part} (reasons added later count too). */
    static long drops(ServerStats stats, String part) {
        return stats.drops().entrySet().stream().filter(e -> e.getKey().name().contains(part))
                .mapToLong(java.util.Map.Entry::getValue).sum();
    }

    /**
     * Drops that a forged, replayed or damaged datagram can end in: every reason but the ones a clean transfer
     * produces by itself (none on loopback) and the limits, whatever the packet protection calls its failure.
     */
    static long rejectedDatagrams(ServerStats stats) {
        long total = 0;
        for (var entry : stats.drops().entrySet()) {
            DropReason reason = entry.getKey();
            if (!reason.name().endsWith("_LIMIT") && reason != DropReason.EARLY_DATA) {
                total += entry.getValue();
            }
        }
        return total;
    }
}
