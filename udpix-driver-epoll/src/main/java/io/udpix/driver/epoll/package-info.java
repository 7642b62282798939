/**
 * The Linux fast-path driver: one {@link io.udpix.engine.SansIoEndpoint} on a Netty native epoll datagram channel,
 * with GSO batching on send and GRO on receive. Found by {@link io.udpix.driver.Drivers} through
 * {@link io.udpix.driver.DriverProvider} as kind {@code epoll}.
 */
package io.udpix.driver.epoll;
