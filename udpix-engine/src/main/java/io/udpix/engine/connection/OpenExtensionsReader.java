package io.udpix.engine.connection;

import io.udpix.engine.event.ItemExtensions;
import io.udpix.wire.OpenExtensions;
import io.udpix.wire.OpenFrame;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@link ItemExtensions} from an OPEN's extension block (docs/PROTOCOL.md section 4.4a). */
final class OpenExtensionsReader implements OpenExtensions.Visitor {
    private final Map<String, String> meta = new LinkedHashMap<>();
    private boolean replyWanted;
    private long replyTo = -1;
    private boolean resumable;

    private OpenExtensionsReader() {
    }

    /** The extensions of an OPEN that {@link OpenFrame#check} accepted and that has {@link OpenFrame#hasExtensions}. */
    static ItemExtensions read(OpenFrame f) {
        OpenExtensionsReader r = new OpenExtensionsReader();
        OpenExtensions.read(f.buffer(), f.extensionsOffset(), r);
        return new ItemExtensions(r.meta, r.replyWanted, r.replyTo, r.resumable);
    }

    @Override
    public void meta(String key, String value) {
        meta.put(key, value);
    }

    @Override
    public void replyWanted() {
        replyWanted = true;
    }

    @Override
    public void replyTo(long transferId) {
        replyTo = transferId;
    }

    @Override
    public void resumable() {
        resumable = true;
    }
}
