package io.udpix.testkit;

/** The two links {@link Simulator#routeBoth} created: a to b, and b to a. */
public record LinkPair(Link aToB, Link bToA) {
}
