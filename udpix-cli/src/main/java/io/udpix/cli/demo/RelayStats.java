package io.udpix.cli.demo;

/**
 * Counters of a {@link LossyRelay}, both directions together.
 *
 * @param received   datagrams that reached the relay
 * @param forwarded  datagrams the relay sent on (duplicates included)
 * @param dropped    datagrams dropped on purpose
 * @param duplicated extra copies sent
 * @param reordered  datagrams held back so that a later one overtook them
 * @param sendErrors sends the operating system refused (e.g. ICMP port unreachable from a stopped server)
 * @param delayOverflows datagrams dropped because the delay line was full (only with a delay)
 */
public record RelayStats(long received, long forwarded, long dropped, long duplicated, long reordered,
                         long sendErrors, long delayOverflows) {
}
