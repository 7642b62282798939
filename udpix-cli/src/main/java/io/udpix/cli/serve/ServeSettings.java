package io.udpix.cli.serve;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code udpix serve} was asked for, checked.
 *
 * @param bind          the local address
 * @param ports         the ports (0 = any free one)
 * @param out           the output directory as given
 * @param maxItemBytes  larger items are refused
 * @param grace         how long a stop lets transfers in progress finish
 * @param durable       whether each file is flushed to the disk before it is named and confirmed
 * @param threads       native mode: driver threads (sockets) per port, sharing it through SO_REUSEPORT
 * @param imageCheck    native mode: how much received images are checked beyond their SHA-256
 * @param driver        the native driver's name ({@code nio}, {@code epoll}, ...) or null for the API's default
 * @param plainHeader   plain mode: header layout text ({@code 8le}...)
 * @param plainReply    plain mode: reply text
 * @param plainTimeout  plain mode: silence timeout mid-item
 * @param maxTotalBytes native mode: the most the output directory may hold ({@code Long.MAX_VALUE}: no limit)
 * @param key           native mode: the server's key
 * @param allowKeys     native mode: the client keys admitted (Base64 keys or fingerprints), or null for any
 * @param allow         native mode: the address ranges admitted, or null for any
 * @param maxConnections native mode: connections kept at once per port (each address gets its share)
 * @param takeStreams   native mode: whether frame streams are taken (else refused, their senders told)
 * @param streamLimits  native mode: what incoming streams may ask for (streams per connection, frame size, latency
 *                      bounds), or null for the protocol's defaults
 */
record ServeSettings(InetAddress bind, List<Integer> ports, Path out, long maxItemBytes, Duration grace,
                     boolean durable, int threads, io.udpix.api.ImageCheck imageCheck, String driver, String plainHeader, String plainReply, Duration plainTimeout,
                     long maxTotalBytes, io.udpix.engine.crypto.StaticKeyPair key, List<String> allowKeys,
                     List<String> allow, int maxConnections, boolean takeStreams,
                     io.udpix.engine.stream.StreamLimits streamLimits) {
}
