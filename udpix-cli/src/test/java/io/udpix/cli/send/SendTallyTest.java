package io.udpix.cli.send;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SendTallyTest {
    @Test
    void theSummarySaysHowMuchWasSentWhenSomeItemsResumed() {
        SendTally tally = new SendTally();
        tally.confirmed(4L << 20, 1L << 20);
        tally.confirmed(2L << 20);

        assertThat(tally.summary("127.0.0.1:9000"))
                .startsWith("2 items (6.00 MiB; 3.00 MiB sent, the rest resumed) confirmed by 127.0.0.1:9000 in ");
    }

    @Test
    void theSummaryOfItemsSentWholeSaysOnlyTheirSize() {
        SendTally tally = new SendTally();
        tally.confirmed(4L << 20, 4L << 20);
        tally.confirmed(2L << 20);

        assertThat(tally.summary("127.0.0.1:9000")).startsWith("2 items (6.00 MiB) confirmed by 127.0.0.1:9000 in ");
    }
}
