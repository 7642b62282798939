/**
 * Deterministic network simulation for sans-I/O endpoints: {@link io.udpix.testkit.Simulator} (virtual clock,
 * event loop), {@link io.udpix.testkit.Link} and {@link io.udpix.testkit.LinkSpec} (rate, delay, loss, reorder,
 * duplication, corruption, MTU, queue, blackouts), {@link io.udpix.testkit.ScenarioRandom} (random scenarios from
 * a seed) and {@link io.udpix.testkit.Seeds} (re-runnable seeds).
 */
package io.udpix.testkit;
