package io.udpix.bench.frames;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SrtFramesTest {
    /** One report of srt-live-transmit 1.5.1 ({@code -pf json -f}), trimmed; packets carry 1,456 bytes + 44. */
    private static String report(long packets, long unique, long retransmitted, long filterExtra) {
        return "{\"sid\":1,\"time\":1755,\"window\":{\"flow\":8009},\"link\":{\"rtt\":0.083},\"send\":{\"packets\":"
                + packets + ",\"packetsUnique\":" + unique + ",\"packetsLost\":3,\"packetsDropped\":1,"
                + "\"packetsRetransmitted\":" + retransmitted + ",\"packetsFilterExtra\":" + filterExtra
                + ",\"bytes\":" + packets * 1500 + ",\"bytesUnique\":" + unique * 1500 + ",\"mbitRate\":6.7},"
                + "\"recv\":{\"packets\":0,\"packetsRetransmitted\":99,\"bytes\":0}}\n";
    }

    @Test
    void retransmittedBytesComeFromTheLastReportAtThePayloadOfAPacket() {
        String json = report(1000, 990, 10, 0) + report(2100, 2000, 100, 0)
                + "{\"sid\":1,\"send\":{\"packets\":2200,\"packetsRe"; // cut short when the program stopped
        var f = SrtFrames.senderFigures(json);
        assertThat(f).containsEntry(PeerFigures.RETRANSMITTED_BYTES, Long.toString(100 * 1456))
                .containsEntry(PeerFigures.PARITY_BYTES, "0").containsEntry("srtPacketsRetransmitted", "100")
                .containsEntry("srtPacketsDropped", "1");
    }

    @Test
    void packetFilterPacketsCountAsParity() {
        assertThat(SrtFrames.senderFigures(report(120, 100, 0, 20))).containsEntry(PeerFigures.PARITY_BYTES,
                Long.toString(20 * 1456));
    }

    @Test
    void noReportGivesNoFigures() {
        assertThat(SrtFrames.senderFigures("")).isEmpty();
    }
}
