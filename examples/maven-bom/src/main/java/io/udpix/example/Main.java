package io.udpix.example;

import io.udpix.api.ImageInfo;
import io.udpix.api.Item;
import io.udpix.api.ReceivedItem;
import io.udpix.api.SendResult;
import io.udpix.api.UdpixClient;
import io.udpix.api.UdpixServer;
import java.awt.image.BufferedImage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts a server on a free loopback port, sends it a text item, an image and a JSON object through the public API,
 * and checks what arrived. Exit status 0 when all three arrived intact, 1 otherwise.
 */
public final class Main {
    private Main() {}

    /**
     * Runs the round trip.
     *
     * @param args none
     * @throws Exception when the server does not start or a send fails
     */
    public static void main(String[] args) throws Exception {
        CompletableFuture<ReceivedItem> text = new CompletableFuture<>();
        CompletableFuture<ReceivedItem> image = new CompletableFuture<>();
        CompletableFuture<ReceivedItem> json = new CompletableFuture<>();
        boolean ok;
        // No output directory: items arrive in memory (up to 8 MiB) and go to the handlers.
        try (UdpixServer server = UdpixServer.builder()
                .port(0)
                .onBytes(text::complete)
                .onImage(image::complete)
                .onJson(json::complete)
                .start()) {
            InetSocketAddress address = server.localAddresses().get(0);
            try (UdpixClient client = UdpixClient.builder(address).serverKey(server.fingerprint()).connect()) {
                SendResult sent = client.send(Item.bytes("hello from a modular app".getBytes(StandardCharsets.UTF_8),
                        "hello.txt"));
                System.out.println("sent " + sent.name() + ", sha256 " + sent.sha256Hex());
                client.send(Item.image(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png")
                        .withName("frame.png"));
                client.send(Item.json(Map.of("label", "cat")));
            }
            String got = text.get(10, TimeUnit.SECONDS).text();
            ImageInfo info = image.get(10, TimeUnit.SECONDS).image().orElseThrow();
            String gotJson = json.get(10, TimeUnit.SECONDS).text();
            System.out.println("received \"" + got + "\", a " + info.width() + "x" + info.height() + " "
                    + info.format() + " image and " + gotJson + " on port " + address.getPort());
            ok = got.equals("hello from a modular app") && info.width() == 64 && info.height() == 48
                    && gotJson.replace(" ", "").equals("{\"label\":\"cat\"}");
        }
        System.out.println(ok ? "sample: OK" : "sample: MISMATCH");
        System.exit(ok ? 0 : 1);
    }
}
