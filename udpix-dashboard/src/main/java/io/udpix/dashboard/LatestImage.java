package io.udpix.dashboard;

import io.udpix.api.ReceivedItem;

/**
 * The latest image received on one port, as the dashboard holds it: its description at once, its bytes only by
 * reference to the received item (in memory, or the saved file read on an HTTP thread when asked), and its JPEG
 * form once {@link JpegImages} made it.
 *
 * @param seq        the dashboard's image number (grows by one per image, over all ports): the ETag
 * @param port       the local port it arrived on
 * @param name       the name the sender gave
 * @param sizeBytes  its size
 * @param width      width in pixels (0 when the server did not inspect it)
 * @param height     height in pixels (0 likewise)
 * @param format     the decoder's format name ("jpeg", "png"...), or "" when not inspected
 * @param sender     the sender, {@code HOST:PORT}
 * @param item       the received item (bytes in memory or a saved path); null when it is above the size limit
 */
record LatestImage(long seq, int port, String name, long sizeBytes, int width, int height, String format,
        String sender, ReceivedItem item) {

    /** Whether the server said it is a JPEG (served as is, without transcoding). */
    public boolean isJpeg() {
        return "jpeg".equals(format) || "jpg".equals(format);
    }
}
