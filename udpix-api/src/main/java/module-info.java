/**
 * udpix's Java API: {@link io.udpix.api.UdpixServer} and {@link io.udpix.api.UdpixClient}, frame streams
 * ({@code io.udpix.api.stream}) and keys ({@code io.udpix.api.trust}).
 *
 * <p>The server's storage ({@code io.udpix.api.store}), the frame path's codecs and sources
 * ({@code io.udpix.api.media}) and the qlog writer ({@code io.udpix.api.trace}) are implementation: exported only
 * to the udpix modules built on them, not to applications.
 */
// "module": the qualified exports name modules built after this one (javac warns that they are not found yet).
@SuppressWarnings("module")
module io.udpix.api {
    requires transitive io.udpix.engine;
    requires transitive io.udpix.driver;
    // BufferedImage is part of the API (Item.image, FrameStream.send); ImageIO reads and writes images.
    requires transitive java.desktop;
    // Optional (s15-pull: Jackson is an optional dependency): only Item.json(Object) and the conversion of JSON to
    // Java objects use it. A modular application that wants them requires com.fasterxml.jackson.databind itself
    // (and opens its own classes to it).
    requires static com.fasterxml.jackson.databind;

    exports io.udpix.api;
    exports io.udpix.api.stream;
    exports io.udpix.api.trust;
    exports io.udpix.api.store to io.udpix.cli, io.udpix.dashboard, io.udpix.kafka;
    exports io.udpix.api.media to io.udpix.cli;
    exports io.udpix.api.trace to io.udpix.cli;
}
