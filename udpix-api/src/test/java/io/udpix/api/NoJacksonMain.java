package io.udpix.api;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Run by {@link NoJacksonClassPathTest} in a JVM without Jackson: sends an image and a JSON text item to a server
 * over loopback, receives both, and checks that Item.json(Object) fails with a message naming the dependency.
 * Prints one line per check; exits non-zero on the first failure. Must never reference a Jackson type.
 */
public final class NoJacksonMain {
    private NoJacksonMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper");
            fail("Jackson is on the class path; the test must run without it");
        } catch (ClassNotFoundException expected) {
            System.out.println("no Jackson on the class path");
        }
        Path out = Path.of(args[0]);
        BufferedImage picture = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        picture.setRGB(5, 5, 0x00FF00);
        try (UdpixServer server = UdpixServer.builder().port(0).outputDirectory(out).receiveQueue(8)
                .onItem(item -> Reply.text("got " + item.name())).start();
                UdpixClient client = UdpixClient.connect(server.localAddresses().get(0))) {
            client.send(Item.image(picture, "png"));
            ReceivedItem reply = client.request(Item.jsonText("{\"camera\": \"door-2\", \"count\": 3}")
                    .withMeta("site", "north"), Duration.ofSeconds(20));
            check(reply.text().equals("got message.json"), "request answered");
            ReceivedItem image = server.receive(Duration.ofSeconds(20)).orElseThrow();
            ReceivedItem json = server.receive(Duration.ofSeconds(20)).orElseThrow();
            BufferedImage back = image.decodeImage();
            check(back.getWidth() == 40 && back.getRGB(5, 5) == 0xFF00FF00, "image received and decoded");
            check(json.text().equals("{\"camera\": \"door-2\", \"count\": 3}"), "JSON text received");
            String log = Files.readString(out.resolve("messages.jsonl"), StandardCharsets.UTF_8);
            check(log.contains("\"value\":{\"camera\":\"door-2\",\"count\":3},\"meta\":{\"site\":\"north\"}}"),
                    "JSON logged in messages.jsonl with its metadata");
        }
        try {
            Item.json(Map.of("a", 1));
            fail("Item.json(Object) worked without Jackson");
        } catch (IllegalStateException e) {
            check(e.getMessage().contains("com.fasterxml.jackson.core:jackson-databind"),
                    "Item.json(Object) names the dependency: " + e.getMessage());
        }
        System.out.println("NO-JACKSON OK");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            fail("failed: " + what);
        }
        System.out.println(what);
    }

    private static void fail(String message) {
        System.out.println(message);
        System.exit(2);
    }
}
