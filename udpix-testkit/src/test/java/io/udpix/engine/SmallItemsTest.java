package io.udpix.engine;

import org.junit.jupiter.api.Test;

/** Small items (a JSON message, an image): datagrams and round trips per item, in virtual time. */
class SmallItemsTest {
    static final long SEED = 20_261_202L;

    @Test
    void printsTheSmallItemTable() {
        SmallItemRun.print(SEED);
    }
}
