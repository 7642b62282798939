/**
 * udpix's wire format: flyweight codecs of every packet and frame of docs/PROTOCOL.md.
 */
module io.udpix.wire {
    exports io.udpix.wire;
}
