package io.udpix.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.udpix.api.store.StorageLanes;
import io.udpix.engine.transfer.TransferRefusedException;
import io.udpix.wire.ErrorCode;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Open files and quota bytes are shared per sender address (issue 10: tiny OPENs exhausted every file slot). */
class StorageAdmissionTest {
    private static final long PLENTY_BYTES = 1L << 50;
    private final StorageLanes lanes = new StorageLanes(1, 16);
    private final InetAddress attacker = address(1);
    private final InetAddress innocent = address(2);

    @AfterEach
    void stop() {
        lanes.shutdown(1_000);
    }

    @Test
    void refusesAnOpenBeyondTheAddressShareOfOpenFilesWhileOthersStillGetTheirs() throws Exception {
        StorageAdmission admission = new StorageAdmission(Long.MAX_VALUE, 1_024, 64, 0, () -> PLENTY_BYTES, lanes);
        for (int i = 0; i < 64; i++) {
            admission.admit(attacker, 1, true);
        }

        assertThatThrownBy(() -> admission.admit(attacker, 1, true))
                .isInstanceOfSatisfying(TransferRefusedException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SERVER_BUSY))
                .hasMessageContaining("already writes 64 files from 10.0.0.1 (its limit per address)");
        StorageAdmission.Ticket innocents = admission.admit(innocent, 1, true);
        assertThat(admission.openFiles()).isEqualTo(65);
        innocents.release(1);
        assertThat(admission.openFiles()).isEqualTo(64);
    }

    @Test
    void refusesBeyondTheTotalOpenFilesWhateverTheAddress() throws Exception {
        StorageAdmission admission = new StorageAdmission(Long.MAX_VALUE, 3, 2, 0, () -> PLENTY_BYTES, lanes);
        admission.admit(attacker, 1, true);
        admission.admit(attacker, 1, true);
        admission.admit(innocent, 1, true);

        assertThatThrownBy(() -> admission.admit(address(3), 1, true)).hasMessageContaining("(its limit)");
        assertThat(admission.admit(address(3), 1, false)).as("a JSON line needs no open file").isNotNull();
    }

    @Test
    void oneAddressMayReserveAtMostHalfOfWhatIsLeftWhileAnotherIsSending() throws Exception {
        StorageAdmission admission = new StorageAdmission(1_000_000, 1_024, 64, 200_000, () -> PLENTY_BYTES, lanes);
        admission.admit(innocent, 10_000, true);

        assertThatThrownBy(() -> admission.admit(attacker, 500_000, true))
                .isInstanceOfSatisfying(TransferRefusedException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NO_SPACE))
                .hasMessageContaining("at most half of what is left (390.6 KiB)");
        admission.admit(attacker, 390_000, true);
        assertThat(admission.usedBytes()).isEqualTo(200_000 + 10_000 + 390_000);
    }

    @Test
    void anAddressAloneMayUseTheWholeQuotaAndStoredItemsKeepCounting() throws Exception {
        StorageAdmission admission = new StorageAdmission(1_000_000, 1_024, 64, 0, () -> PLENTY_BYTES, lanes);
        admission.admit(attacker, 900_000, true).release(900_000);

        assertThatThrownBy(() -> admission.admit(innocent, 100_001, true))
                .hasMessageContaining("the receiver is out of space: 97.7 KiB left of its --max-total 976.6 KiB");
        admission.admit(innocent, 100_000, true).release(0);
        assertThat(admission.usedBytes()).as("a dropped item gives its reservation back").isEqualTo(900_000);
    }

    private static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
