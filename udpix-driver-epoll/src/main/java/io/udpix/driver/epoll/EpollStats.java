package io.udpix.driver.epoll;

/**
 * What the epoll driver did beyond {@link io.udpix.driver.DriverStats}: how much of its sending went out as GSO
 * batches and how it reads. Each counter is exact; the snapshot as a whole is not atomic.
 *
 * @param gsoBatches   sends that carried two or more datagrams in one UDP_SEGMENT call and were accepted
 * @param gsoSegments  the datagrams those batches carried
 * @param gsoFailures  batches the kernel refused (their datagrams count as send errors); the first one turns GSO
 *                     off for the rest of the driver's life
 * @param gsoActive    whether sends are batched now (the kernel supports it, tuning asks for it, none failed)
 * @param readBursts   receive wake-ups that delivered at least one datagram (datagramsReceived / readBursts is
 *                     the average burst)
 * @param receiveMode  how datagrams are read
 */
public record EpollStats(long gsoBatches, long gsoSegments, long gsoFailures, boolean gsoActive, long readBursts,
        EpollTuning.ReceiveMode receiveMode) {}
