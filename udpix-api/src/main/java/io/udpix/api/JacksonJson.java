package io.udpix.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The only place udpix-api touches Jackson, which is an optional dependency: converting Java objects to and from
 * JSON ({@link Item#json(Object)}, {@link ReceivedItem#json(Class)}). Everything else (images, files, bytes, JSON
 * text, messages.jsonl) works without it. The Jackson types are referenced only from the nested {@link Mapper},
 * loaded after the class path was checked, so without Jackson the caller gets a clear error instead of
 * NoClassDefFoundError.
 */
final class JacksonJson {
    /** What to add to the build; in every "Jackson missing" message. */
    static final String DEPENDENCY = "com.fasterxml.jackson.core:jackson-databind";

    private JacksonJson() {
    }

    /** Whether Jackson's ObjectMapper can be loaded here. */
    static boolean available() {
        try {
            Class.forName("com.fasterxml.jackson.databind.ObjectMapper", false, JacksonJson.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * {@code value} as a JSON document.
     *
     * @throws IllegalStateException when Jackson is not on the class path, naming {@code method} and the dependency
     * @throws IllegalArgumentException when Jackson cannot serialise the value, with its reason
     */
    static byte[] write(Object value, String method) {
        requireJackson(method);
        return Mapper.write(value);
    }

    /**
     * The JSON document {@code utf8} as a {@code type}.
     *
     * @throws IllegalStateException when Jackson is not on the class path
     * @throws IOException when the document does not map onto {@code type}, with Jackson's reason
     */
    static <T> T read(byte[] utf8, Class<T> type, String method) throws IOException {
        requireJackson(method);
        return Mapper.read(utf8, type);
    }

    private static void requireJackson(String method) {
        if (!available()) {
            throw new IllegalStateException(method + " converts Java objects with Jackson, which is not on the class "
                    + "path; add the dependency " + DEPENDENCY + " (2.x), or send and read JSON as text "
                    + "(Item.jsonText, ReceivedItem.text)");
        }
    }

    /** Holds the mapper: loaded only once Jackson is known to be there. */
    private static final class Mapper {
        /** Made on first use: building an ObjectMapper costs about 0.2 s of a short command's start-up. */
        static final ObjectMapper MAPPER = new ObjectMapper();

        static byte[] write(Object value) {
            try {
                return MAPPER.writeValueAsBytes(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot serialise " + (value == null ? "null" : value.getClass()
                        .getName()) + " as JSON: " + e.getOriginalMessage(), e);
            }
        }

        static <T> T read(byte[] utf8, Class<T> type) throws IOException {
            try {
                return MAPPER.readValue(utf8, type);
            } catch (JsonProcessingException e) {
                throw new IOException("cannot read the JSON as " + type.getName() + ": " + e.getOriginalMessage(), e);
            }
        }
    }
}
