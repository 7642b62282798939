package io.udpix.api.media;

import java.awt.image.BufferedImage;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * libjpeg-turbo's TurboJPEG Java binding, found at run time: Debian's {@code libturbojpeg-java} puts turbojpeg.jar in
 * /usr/share/java, and its loader ({@code TJLoader}) wants {@code libturbojpeg.so} from {@code libturbojpeg0-dev}
 * (it tries java.library.path, then /usr/lib/x86_64-linux-gnu/libturbojpeg.so). The jar is not in Maven, so there is
 * no compile dependency: one class loader for the whole JVM (a native library binds to one class loader only) and
 * method handles. {@code -Dudpix.turbojpeg.jar=PATH} points elsewhere.
 */
final class TurboJpegLibrary {
    static final String DEFAULT_JAR = "/usr/share/java/turbojpeg.jar";
    static final String INSTALL_HINT = "install libturbojpeg-java and libturbojpeg0-dev for ~4x faster JPEG";

    // TJ constants (turbojpeg.h / TJ.java; stable since TurboJPEG 1.2).
    static final int SAMP_420 = 2;
    static final int SAMP_GRAY = 3;

    final MethodHandle newCompressor;     // () -> TJCompressor
    final MethodHandle setSourceImage;    // (TJCompressor, BufferedImage, x, y, w, h)
    final MethodHandle setSubsamp;        // (TJCompressor, int)
    final MethodHandle setQuality;        // (TJCompressor, int)
    final MethodHandle compressInto;      // (TJCompressor, byte[], flags)
    final MethodHandle compressedSize;    // (TJCompressor) -> int
    final MethodHandle closeCompressor;   // (TJCompressor)
    final MethodHandle bufSize;           // (w, h, subsamp) -> int
    final MethodHandle newDecompressor;   // () -> TJDecompressor
    final MethodHandle setJpegImage;      // (TJDecompressor, byte[], length)
    final MethodHandle jpegWidth;         // (TJDecompressor) -> int
    final MethodHandle jpegHeight;        // (TJDecompressor) -> int
    final MethodHandle decompressNew;     // (TJDecompressor, w, h, imageType, flags) -> BufferedImage
    final MethodHandle decompressInto;    // (TJDecompressor, BufferedImage, flags)
    final MethodHandle closeDecompressor; // (TJDecompressor)
    final String description;

    private static final Object LOCK = new Object();
    private static TurboJpegLibrary loaded;
    private static String failure;

    private TurboJpegLibrary(ClassLoader loader, String description) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> tj = Class.forName("org.libjpegturbo.turbojpeg.TJ", true, loader);
        Class<?> comp = Class.forName("org.libjpegturbo.turbojpeg.TJCompressor", true, loader);
        Class<?> decomp = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
        MethodType v = MethodType.methodType(void.class);
        newCompressor = lookup.findConstructor(comp, v);
        setSourceImage = lookup.findVirtual(comp, "setSourceImage",
                MethodType.methodType(void.class, BufferedImage.class, int.class, int.class, int.class, int.class));
        setSubsamp = lookup.findVirtual(comp, "setSubsamp", MethodType.methodType(void.class, int.class));
        setQuality = lookup.findVirtual(comp, "setJPEGQuality", MethodType.methodType(void.class, int.class));
        compressInto = lookup.findVirtual(comp, "compress",
                MethodType.methodType(void.class, byte[].class, int.class));
        compressedSize = lookup.findVirtual(comp, "getCompressedSize", MethodType.methodType(int.class));
        closeCompressor = lookup.findVirtual(comp, "close", v);
        bufSize = lookup.findStatic(tj, "bufSize", MethodType.methodType(int.class, int.class, int.class, int.class));
        newDecompressor = lookup.findConstructor(decomp, v);
        setJpegImage = lookup.findVirtual(decomp, "setSourceImage",
                MethodType.methodType(void.class, byte[].class, int.class));
        jpegWidth = lookup.findVirtual(decomp, "getWidth", MethodType.methodType(int.class));
        jpegHeight = lookup.findVirtual(decomp, "getHeight", MethodType.methodType(int.class));
        decompressNew = lookup.findVirtual(decomp, "decompress",
                MethodType.methodType(BufferedImage.class, int.class, int.class, int.class, int.class));
        decompressInto = lookup.findVirtual(decomp, "decompress",
                MethodType.methodType(void.class, BufferedImage.class, int.class));
        closeDecompressor = lookup.findVirtual(decomp, "close", v);
        this.description = description;
    }

    /** The library, loaded on first use; null when it is not installed or does not load ({@link #failure()}). */
    static TurboJpegLibrary get() {
        synchronized (LOCK) {
            if (loaded == null && failure == null) {
                load();
            }
            return loaded;
        }
    }

    /** Why {@link #get()} is null, with the fix; null when it loaded. */
    static String failure() {
        synchronized (LOCK) {
            get();
            return failure;
        }
    }

    private static void load() {
        Path jar = Path.of(System.getProperty("udpix.turbojpeg.jar", DEFAULT_JAR));
        if (!Files.isReadable(jar)) {
            failure = "no TurboJPEG at " + jar + ": " + INSTALL_HINT;
            return;
        }
        try {
            URLClassLoader loader = new URLClassLoader("udpix-turbojpeg", new URL[] {jar.toUri().toURL()},
                    TurboJpegLibrary.class.getClassLoader());
            TurboJpegLibrary library = new TurboJpegLibrary(loader, describe(version()));
            // Loads the native library (TJ's static initialiser) and proves a compressor can be made.
            Object probe = library.newCompressor.invoke();
            library.closeCompressor.invoke(probe);
            loaded = library;
        } catch (UnsatisfiedLinkError e) {
            failure = "TurboJPEG's native library did not load (" + e.getMessage() + "); install libturbojpeg0-dev "
                    + "(its loader wants libturbojpeg.so) or add its directory to -Djava.library.path";
        } catch (Throwable e) {
            failure = "TurboJPEG from " + jar + " is unusable (" + e + "); " + INSTALL_HINT;
        }
    }

    private static String describe(String version) {
        return version.isEmpty() ? "TurboJPEG (libjpeg-turbo)" : "TurboJPEG " + version + " (libjpeg-turbo)";
    }

    /** libjpeg-turbo's version from its pkg-config file (libturbojpeg0-dev), or "" when that is not there. */
    private static String version() {
        for (String pc : List.of("/usr/lib/x86_64-linux-gnu/pkgconfig/libturbojpeg.pc",
                "/usr/lib/aarch64-linux-gnu/pkgconfig/libturbojpeg.pc", "/usr/lib/pkgconfig/libturbojpeg.pc",
                "/usr/lib64/pkgconfig/libturbojpeg.pc")) {
            try {
                for (String line : Files.readAllLines(Path.of(pc))) {
                    if (line.startsWith("Version:")) {
                        return line.substring("Version:".length()).strip();
                    }
                }
            } catch (Exception e) {
                // Not there: try the next place; the version is only for the description.
            }
        }
        return "";
    }
}
