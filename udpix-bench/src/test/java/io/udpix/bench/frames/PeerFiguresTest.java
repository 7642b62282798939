package io.udpix.bench.frames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerFiguresTest {
    @TempDir
    Path dir;

    @Test
    void overheadIsParityPlusRetransmittedBytesOverTheFrameBytesHandedOver() {
        Map<String, String> sender = Map.of(PeerFigures.PARITY_BYTES, "100000", PeerFigures.RETRANSMITTED_BYTES,
                "50000", "sentDataBytes", "900000");
        assertThat(PeerFigures.overheadPercent(sender, 1_000_000)).isEqualTo(15.0);
    }

    @Test
    void aPeerWithRetransmittedBytesOnlyCountsNoParity() {
        assertThat(PeerFigures.overheadPercent(Map.of(PeerFigures.RETRANSMITTED_BYTES, "2500"), 100_000))
                .isEqualTo(2.5);
    }

    @Test
    void noOverheadIsGivenForAPeerWithoutFiguresOrWhenNothingWasHandedOver() {
        assertThat(PeerFigures.overheadPercent(Map.of(), 1_000_000)).isNaN();
        assertThat(PeerFigures.overheadPercent(Map.of(PeerFigures.PARITY_BYTES, "10"), 0)).isNaN();
        assertThat(PeerFigures.joined("frames=600 onTime=600", 1_000_000, Map.of(), Map.of()))
                .isEqualTo("frames=600 onTime=600");
    }

    @Test
    void theAnalysisLineGetsBothSidesFiguresAndTheOverhead() throws Exception {
        Map<String, String> sender = new LinkedHashMap<>();
        sender.put(PeerFigures.PARITY_BYTES, "120");
        sender.put(PeerFigures.RETRANSMITTED_BYTES, "3");
        Path s = dir.resolve("sender.txt");
        Path r = dir.resolve("receiver.txt");
        PeerFigures.write(s, sender);
        PeerFigures.write(r, Map.of("fecRecovered", "7"));
        String line = PeerFigures.joined("frames=10", 1000, PeerFigures.read(s), PeerFigures.read(r));
        assertThat(line).isEqualTo("frames=10 sentParityBytes=120 retransmittedBytes=3 fecRecovered=7 "
                + "repairOverheadPct=12.30");
    }

    @Test
    void anAbsentFiguresFileReadsAsNoFiguresAndNoFileIsWrittenForNone() throws Exception {
        Path f = dir.resolve("none.txt");
        PeerFigures.write(f, Map.of());
        assertThat(f).doesNotExist();
        assertThat(PeerFigures.read(f)).isEmpty();
        assertThat(PeerFigures.read(null)).isEmpty();
    }

    @Test
    void aFileThatIsNotFiguresIsRefusedNamingTheFile() throws Exception {
        Path f = dir.resolve("sent.tsv");
        Files.writeString(f, "# sequence\timage\n0\t1\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PeerFigures.read(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sent.tsv").hasMessageContaining("--figures");
    }
}
