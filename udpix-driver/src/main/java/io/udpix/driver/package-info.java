/**
 * The plain NIO driver: binds one {@link io.udpix.engine.SansIoEndpoint} to one {@code DatagramChannel}, a
 * {@code Selector} and {@code System.nanoTime()} on one daemon thread. All protocol logic stays in the engine.
 */
package io.udpix.driver;
