package io.udpix.testkit;

/** The simulation cannot go on: an endpoint broke its contract or threw, or a safety limit was hit. */
public final class SimulationException extends RuntimeException {
    /** With a message that names the cause and the fix. */
    public SimulationException(String message) {
        super(message);
    }

    /** Wrapping what an endpoint or task threw. */
    public SimulationException(String message, Throwable cause) {
        super(message, cause);
    }
}
