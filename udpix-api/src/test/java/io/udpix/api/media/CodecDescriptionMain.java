package io.udpix.api.media;

/** Prints {@code JpegCodec.create()}'s backend and description; JpegCodecTest runs it in a JVM of its own. */
public final class CodecDescriptionMain {
    private CodecDescriptionMain() {
    }

    /** Prints "BACKEND|description". */
    public static void main(String[] args) throws Exception {
        try (JpegCodec codec = JpegCodec.create()) {
            System.out.println(codec.backend() + "|" + codec.description());
            // Prove the fallback works end to end, not only that it is chosen.
            byte[] jpeg = codec.encode(new TestPattern(320, 240).draw(7, 0), 80);
            System.out.println(codec.decode(jpeg).getWidth());
        }
    }
}
