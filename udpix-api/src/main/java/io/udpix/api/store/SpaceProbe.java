package io.udpix.api.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;

/** Free and total space of the volume holding the output directory; a seam so tests can report a full disk. */
public interface SpaceProbe {
    /** Bytes this process may still write on the volume (statvfs f_bavail, as {@link FileStore#getUsableSpace}). */
    long usableBytes() throws IOException;

    /** The probe of the real volume holding {@code dir}. */
    static SpaceProbe of(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store::getUsableSpace;
    }
}
