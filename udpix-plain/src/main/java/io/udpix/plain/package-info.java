/**
 * Plain mode: the tutorial's wire format (whole-image datagrams, JSON datagrams, a length header then pieces),
 * spoken with limits, timeouts and per-sender state. See docs/PLAIN_MODE.md. It has no way to detect loss.
 */
package io.udpix.plain;
