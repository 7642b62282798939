package io.udpix.engine.stream;

/** What a frame stream's frames are encoded as (docs/PROTOCOL.md section 4.13, STREAM_OPEN's codec byte). */
public enum StreamCodec {
    /** JPEG (image/jpeg): every frame a complete JFIF/baseline or progressive image. */
    JPEG(0, "image/jpeg"),
    /** PNG (image/png). */
    PNG(1, "image/png"),
    /** Raw pixels; the stream's width and height say how many. */
    RAW(2, "application/octet-stream"),
    /** Anything else: opaque bytes. */
    OTHER(3, "application/octet-stream");

    private final int wireValue;
    private final String mediaType;

    StreamCodec(int wireValue, String mediaType) {
        this.wireValue = wireValue;
        this.mediaType = mediaType;
    }

    /** The value in STREAM_OPEN. */
    public int wireValue() {
        return wireValue;
    }

    /** The media type of one frame. */
    public String mediaType() {
        return mediaType;
    }

    /** The codec for a wire value; unknown values read as {@link #OTHER}. */
    public static StreamCodec fromWire(int value) {
        for (StreamCodec c : values()) {
            if (c.wireValue == value) {
                return c;
            }
        }
        return OTHER;
    }
}
