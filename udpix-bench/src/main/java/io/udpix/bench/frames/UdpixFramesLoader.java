package io.udpix.bench.frames;

import java.util.Map;

/** Makes the udpix peer from the command line's options (--latency-ms, --fps, --fec auto|off|PERCENT). */
final class UdpixFramesLoader {
    private UdpixFramesLoader() {
    }

    static FramePeer load(Map<String, String> o) {
        return new UdpixFrames(Long.parseLong(o.getOrDefault("latency-ms", "150")),
                Double.parseDouble(o.getOrDefault("fps", "30")), o.getOrDefault("fec", "auto"));
    }
}
