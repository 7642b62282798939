package io.udpix.api;

import io.udpix.engine.Endpoint;
import io.udpix.engine.stream.StreamStats;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Reads what only the engine's thread may read, for stats snapshots. */
final class EngineStats {
    private EngineStats() {}

    /** The engine's stream snapshots, taken on the driver thread; empty if it does not answer in {@code waitMs}. */
    static List<StreamStats> streams(EngineDriver driver, Endpoint endpoint, long waitMs) {
        try {
            return driver.call(ep -> List.copyOf(endpoint.allStreamStats(System.nanoTime())))
                    .get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
