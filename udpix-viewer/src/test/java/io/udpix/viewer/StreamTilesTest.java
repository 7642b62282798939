package io.udpix.viewer;

import static io.udpix.viewer.StreamUpdatesTest.caption;
import static io.udpix.viewer.StreamUpdatesTest.image;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class StreamTilesTest {

    private final StreamTiles tiles = new StreamTiles();
    private long nowNs = 1_000_000_000L;

    @Test
    void addsOneTilePerStreamInTheOrderStreamsFirstAppeared() {
        assertThat(tiles.apply(frame("b", 1), nowNs)).as("a new tile changes the layout")
                .isEqualTo(StreamTiles.Applied.LAYOUT);
        assertThat(tiles.apply(frame("a", 1), nowNs)).isEqualTo(StreamTiles.Applied.LAYOUT);
        assertThat(tiles.apply(frame("b", 2), nowNs)).as("a newer frame of a shown stream does not")
                .isEqualTo(StreamTiles.Applied.TILE);

        assertThat(tiles.keys()).containsExactly("b", "a");
        assertThat(tiles.get("b").caption().frameNumber()).isEqualTo(2);
    }

    @Test
    void makesRoomByRemovingTheStreamThatEndedFirst() {
        fill();
        tiles.apply(end("s5"), nowNs);
        tiles.apply(end("s2"), nowNs);
        tiles.apply(frame("s5", 99), nowNs); // live again: the key was reused by a new stream
        tiles.apply(end("s9"), nowNs);

        tiles.apply(frame("new", 1), nowNs);
        assertThat(tiles.keys()).doesNotContain("s2").contains("s5", "s9", "new");
        tiles.apply(frame("newer", 1), nowNs);
        assertThat(tiles.keys()).doesNotContain("s9").contains("s5");
        assertThat(tiles.size()).isEqualTo(StreamTiles.MAX_STREAM_TILES);
        assertThat(tiles.tilesRemoved()).isEqualTo(2);
    }

    @Test
    void makesRoomByRemovingTheStreamQuietTheLongestWhenNoneEndedAndItSentNothingForTwoSeconds() {
        fill();
        nowNs += 1_000_000_000L;
        for (int stream = 0; stream < StreamTiles.MAX_STREAM_TILES; stream++) {
            if (stream != 7 && stream != 3) {
                tiles.apply(frame("s" + stream, 2), nowNs);
            }
        }
        tiles.apply(frame("s3", 2), nowNs - 500_000_000L);
        nowNs += StreamTilePainter.STALL_NS - 1;

        assertThat(tiles.apply(frame("new", 1), nowNs)).as("s7 has been quiet for just under 3 s")
                .isEqualTo(StreamTiles.Applied.LAYOUT);
        assertThat(tiles.keys()).doesNotContain("s7").contains("new", "s3");
        assertThat(tiles.size()).isEqualTo(StreamTiles.MAX_STREAM_TILES);
    }

    @Test
    void doesNotShowANewStreamWhileEveryTileHoldsAStreamThatIsStillSending() {
        fill();
        nowNs += StreamTilePainter.STALL_NS - 1;

        assertThat(tiles.apply(frame("new", 1), nowNs)).isEqualTo(StreamTiles.Applied.NOT_SHOWN);
        assertThat(tiles.apply(end("new"), nowNs)).isEqualTo(StreamTiles.Applied.NOT_SHOWN);
        assertThat(tiles.keys()).doesNotContain("new").hasSize(StreamTiles.MAX_STREAM_TILES);
        assertThat(tiles.updatesNotShown()).isEqualTo(2);
        assertThat(tiles.tilesRemoved()).isZero();
    }

    @Test
    void countsAFrameReplacedBeforeItWasPaintedAsSkipped() {
        tiles.apply(frame("s", 1), nowNs);
        StreamTile tile = tiles.get("s");
        tile.markPainted();
        tiles.apply(frame("s", 2), nowNs);
        tiles.apply(frame("s", 3), nowNs); // frame 2 was never painted
        tile.markPainted();
        tile.markPainted(); // painting the same frame twice counts once
        tiles.apply(new StreamUpdates.Update("s", image(), caption(9), false, 5), nowNs); // 5 skipped in hand-over

        assertThat(tile.framesApplied()).isEqualTo(4);
        assertThat(tile.framesPainted()).isEqualTo(2);
        assertThat(tile.framesSkipped()).isEqualTo(6);
    }

    @Test
    void countsTheSameImageObjectOfferedAgainAsANewFrameAndScalesItAgain() {
        BufferedImage reused = ImageWallTest.solid(8, 8, 0xFF0000);
        tiles.apply(new StreamUpdates.Update("s", reused, caption(1), false, 0), nowNs);
        StreamTile tile = tiles.get("s");
        assertThat(tile.scaled().fit(reused, 4, 4, true).getRGB(1, 1) & 0xFFFFFF).isEqualTo(0xFF0000);
        tile.markPainted();
        ImageWallTest.solid(8, 8, 0x00FF00).copyData(reused.getRaster()); // a caller that redraws one image

        tiles.apply(new StreamUpdates.Update("s", reused, caption(2), false, 0), nowNs);
        assertThat(tile.framesApplied()).isEqualTo(2);
        assertThat(tile.scaled().fit(reused, 4, 4, true).getRGB(1, 1) & 0xFFFFFF).isEqualTo(0x00FF00);
    }

    @Test
    void keepsTheLastFrameOfAnEndedStreamAndRecordsWhenTheLastFrameCame() {
        BufferedImage last = image();
        tiles.apply(new StreamUpdates.Update("s", last, caption(5), false, 0), nowNs);
        nowNs += 3_000_000_000L;
        tiles.apply(end("s"), nowNs);

        StreamTile tile = tiles.get("s");
        assertThat(tile.ended()).isTrue();
        assertThat(tile.image()).isSameAs(last);
        assertThat(tile.caption().frameNumber()).isEqualTo(6);
        assertThat(tile.lastFrameNs()).as("an end is not a frame").isEqualTo(1_000_000_000L);
    }

    private void fill() {
        for (int stream = 0; stream < StreamTiles.MAX_STREAM_TILES; stream++) {
            tiles.apply(frame("s" + stream, 1), nowNs);
        }
    }

    private static StreamUpdates.Update frame(String key, long frameNumber) {
        return new StreamUpdates.Update(key, image(), caption(frameNumber), false, 0);
    }

    private static StreamUpdates.Update end(String key) {
        return new StreamUpdates.Update(key, null, caption(6), true, 0);
    }
}
