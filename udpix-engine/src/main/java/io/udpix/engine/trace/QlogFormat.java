package io.udpix.engine.trace;

import io.udpix.engine.cc.Bbr;
import io.udpix.wire.ErrorCode;
import io.udpix.wire.FrameType;
import io.udpix.wire.TransferKind;
import java.util.Locale;

/**
 * Turns {@link TraceRing} records into qlog JSON-SEQ text (docs/QLOG.md): RFC 7464 records (0x1E, JSON, LF), a
 * header in the shape of draft-ietf-quic-qlog-main-schema's sequential file (with the 0.3 fields qvis reads), then
 * one event per record. QUIC event names (draft-ietf-quic-qlog-quic-events, qvis's categories) where ours mean the
 * same thing; {@code udpix:} names for transfers, streams and our own frames. Pure: no I/O, so the engine's tests
 * can read what the CLI writes.
 */
public final class QlogFormat {
    /** RFC 7464 section 2: every JSON text is preceded by a record separator. */
    public static final char RS = 0x1E;
    /** Roughly the longest event this format writes, for callers that reserve room. */
    public static final int MAX_EVENT_CHARS = 1024;

    private QlogFormat() {}

    /** The file header: vantage point (client or server), connection id, wall-clock reference for the times. */
    public static void header(StringBuilder sb, boolean client, long connectionId, long referenceEpochMs) {
        String id = hex(connectionId);
        sb.append(RS).append("{\"qlog_version\":\"0.3\",\"qlog_format\":\"JSON-SEQ\",")
                .append("\"file_schema\":\"urn:ietf:params:qlog:file:sequential\",")
                .append("\"serialization_format\":\"application/qlog+json-seq\",")
                .append("\"title\":\"udpix connection ").append(id).append("\",")
                .append("\"trace\":{\"title\":\"udpix ").append(client ? "client" : "server").append(' ').append(id)
                .append("\",\"vantage_point\":{\"name\":\"udpix\",\"type\":\"").append(client ? "client" : "server")
                .append("\"},\"common_fields\":{\"group_id\":\"").append(id)
                .append("\",\"protocol_type\":[\"UDPIX\"],\"time_format\":\"relative\",\"reference_time\":")
                .append(referenceEpochMs).append("}}}\n");
    }

    /** Whether the record at {@code off} is a connection's first (its type is CONNECTION_STARTED). */
    public static boolean isStart(long[] slots, int off) {
        return slots[off] == Tracer.CONNECTION_STARTED;
    }

    /** Appends the event of one record; times are milliseconds since {@code originNs} (the connection's start). */
    public static void event(StringBuilder sb, long[] s, int off, long originNs) {
        int type = (int) s[off];
        long a = s[off + 3];
        long b = s[off + 4];
        long c = s[off + 5];
        long d = s[off + 6];
        long e = s[off + 7];
        long f = s[off + 8];
        long g = s[off + 9];
        long h = s[off + 10];
        sb.append(RS).append("{\"time\":");
        millis(sb, s[off + 2] - originNs);
        sb.append(",\"name\":\"");
        switch (type) {
            case Tracer.CONNECTION_STARTED -> {
                String side = a == 1 ? "dst" : "src";
                sb.append("transport:connection_started\",\"data\":{\"ip_version\":\"")
                        .append(b != 0 ? "ipv4" : "ipv6").append("\",\"").append(side).append("_ip\":\"");
                if (b != 0) {
                    sb.append(b >>> 24 & 0xFF).append('.').append(b >>> 16 & 0xFF).append('.').append(b >>> 8 & 0xFF)
                            .append('.').append(b & 0xFF);
                }
                sb.append("\",\"").append(side).append("_port\":").append(c).append('}');
            }
            case Tracer.PACKET_SENT, Tracer.PACKET_RECEIVED, Tracer.PACKET_LOST -> {
                sb.append(type == Tracer.PACKET_SENT ? "transport:packet_sent"
                        : type == Tracer.PACKET_RECEIVED ? "transport:packet_received" : "recovery:packet_lost");
                sb.append("\",\"data\":{\"header\":{\"packet_type\":\"1RTT\",\"packet_number\":").append(a)
                        .append("},\"raw\":{\"length\":").append(b).append("},\"frames\":[");
                frames(sb, c, type == Tracer.PACKET_SENT ? d : -1, e, f);
                sb.append(']');
                if (type == Tracer.PACKET_SENT) {
                    sb.append(",\"udpix:bytes_in_flight\":").append(g);
                } else if (type == Tracer.PACKET_LOST && d == 1) {
                    sb.append(",\"udpix:mtu_probe\":true");
                }
                sb.append('}');
            }
            case Tracer.METRICS -> {
                sb.append("recovery:metrics_updated\",\"data\":{\"smoothed_rtt\":");
                millis(sb, a);
                sb.append(",\"min_rtt\":");
                millis(sb, b);
                if (c >= 0) {
                    sb.append(",\"latest_rtt\":");
                    millis(sb, c);
                }
                sb.append(",\"rtt_variance\":");
                millis(sb, d);
                // qlog's pacing_rate is in bits per second.
                sb.append(",\"bytes_in_flight\":").append(e).append(",\"congestion_window\":").append(f)
                        .append(",\"pacing_rate\":").append(g * 8).append(",\"pto_count\":").append(h).append('}');
            }
            case Tracer.CONGESTION_STATE -> {
                sb.append("recovery:congestion_state_updated\",\"data\":{");
                if (a >= 0) {
                    sb.append("\"old\":\"").append(ccState(a)).append("\",");
                }
                sb.append("\"new\":\"").append(ccState(b)).append("\"}");
            }
            case Tracer.PMTU -> {
                sb.append("connectivity:mtu_updated\",\"data\":{");
                if (a > 0) {
                    sb.append("\"old\":").append(a).append(',');
                }
                sb.append("\"new\":").append(b).append('}');
            }
            case Tracer.TRANSFER -> {
                sb.append(a == Tracer.OPENED ? "udpix:transfer_opened" : a == Tracer.COMPLETED
                        ? "udpix:transfer_completed" : "udpix:transfer_failed");
                sb.append("\",\"data\":{\"transfer_id\":").append(b).append(",\"direction\":\"")
                        .append(c == 1 ? "incoming" : "outgoing").append('"');
                if (a == Tracer.FAILED) {
                    sb.append(",\"error\":\"").append(ErrorCode.name((int) d)).append("\"}");
                } else {
                    sb.append(",\"size_bytes\":").append(d).append(",\"kind\":\"")
                            .append(TransferKind.name((int) f)).append('"');
                    if (a == Tracer.COMPLETED) {
                        sb.append(",\"elapsed_ms\":");
                        millis(sb, e);
                    }
                    sb.append('}');
                }
            }
            case Tracer.STREAM -> {
                if (a >= Tracer.QUEUED) {
                    streamFrame(sb, a, b, c, d, e);
                    break;
                }
                sb.append(a == Tracer.OPENED ? "udpix:stream_opened" : a == Tracer.DELIVERED
                        ? "udpix:frame_delivered" : "udpix:stream_ended");
                sb.append("\",\"data\":{\"stream_id\":").append(b).append(",\"direction\":\"")
                        .append(c == 1 ? "incoming" : "outgoing").append('"');
                if (a == Tracer.DELIVERED) {
                    sb.append(",\"frame_number\":").append(d).append(",\"latency_ms\":");
                    millis(sb, e);
                    sb.append(",\"fec_recovered\":").append(f == 1).append(",\"size_bytes\":").append(g);
                } else if (a != Tracer.OPENED) {
                    sb.append(",\"error\":\"").append(ErrorCode.name((int) d)).append('"');
                }
                sb.append('}');
            }
            case Tracer.CONNECTION_CLOSED -> {
                sb.append("transport:connection_closed\",\"data\":{");
                if (c != 0) {
                    sb.append("\"owner\":\"").append(c == 1 ? "local" : "remote").append("\",");
                }
                sb.append("\"connection_code\":\"").append(ErrorCode.name((int) a))
                        .append("\",\"udpix:records_dropped\":").append(b).append('}');
            }
            default -> sb.append("udpix:unknown\",\"data\":{\"type\":").append(type).append('}');
        }
        sb.append("}\n");
    }

    /** A frame-stream event of kind {@code kind} ({@link Tracer#QUEUED}..{@link Tracer#LOST}); see StreamTrace. */
    private static void streamFrame(StringBuilder sb, long kind, long streamId, long incoming, long frameNumber,
            long detail) {
        int k = (int) kind;
        sb.append(switch (k) {
            case Tracer.QUEUED -> "udpix:frame_queued";
            case Tracer.DROPPED_AT_SOURCE -> "udpix:frame_dropped_at_source";
            case Tracer.ABANDONED -> "udpix:frame_abandoned";
            case Tracer.REPAIRED -> "udpix:fragment_repaired";
            case Tracer.PARITY_SENT -> "udpix:parity_sent";
            case Tracer.LATE -> "udpix:frame_late";
            case Tracer.LOST -> "udpix:frames_lost";
            default -> "udpix:frame_unknown";
        });
        sb.append("\",\"data\":{\"stream_id\":").append(streamId).append(",\"direction\":\"")
                .append(incoming == 1 ? "incoming" : "outgoing").append('"');
        switch (k) {
            case Tracer.QUEUED -> sb.append(",\"size_bytes\":").append(detail);
            case Tracer.DROPPED_AT_SOURCE -> sb.append(",\"reason\":\"").append(detail == 0 ? "replaced"
                    : detail == 1 ? "too_late" : "too_large_for_path").append('"');
            case Tracer.REPAIRED -> sb.append(",\"frame_number\":").append(frameNumber).append(",\"fragment\":")
                    .append(detail);
            case Tracer.PARITY_SENT -> sb.append(",\"frame_number\":").append(frameNumber)
                    .append(",\"parity_group\":").append(detail);
            case Tracer.LOST -> sb.append(",\"first_frame_number\":").append(frameNumber).append(",\"count\":")
                    .append(detail);
            default -> sb.append(",\"frame_number\":").append(frameNumber);
        }
        sb.append('}');
    }

    /**
     * The last event of a file: how many of this connection's records were written, and how many were dropped
     * because the engine's ring was full ({@code droppedRing}, -1 when unknown) or the file reached its cap.
     */
    public static void summary(StringBuilder sb, long timeNs, long originNs, long written, long droppedRing,
            long droppedCap, String why) {
        sb.append(RS).append("{\"time\":");
        millis(sb, timeNs - originNs);
        sb.append(",\"name\":\"udpix:trace_summary\",\"data\":{\"events_written\":").append(written)
                .append(",\"events_dropped_ring\":").append(droppedRing).append(",\"events_dropped_cap\":")
                .append(droppedCap).append(",\"ended_by\":\"").append(why).append("\"}}\n");
    }

    /** The connection id as 16 hex digits, as in file names. */
    public static String hex(long connectionId) {
        return String.format(Locale.ROOT, "%016x", connectionId);
    }

    private static void frames(StringBuilder sb, long mask, long id, long where, long length) {
        boolean first = true;
        for (int t = 0; t < 63; t++) {
            if ((mask & 1L << t) == 0) {
                continue;
            }
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"frame_type\":\"").append(frameName(t)).append('"');
            if (id >= 0 && t == FrameType.CHUNK) {
                sb.append(",\"transfer_id\":").append(id).append(",\"offset\":").append(where)
                        .append(",\"length\":").append(length);
            } else if (id >= 0 && (t == FrameType.FRAGMENT || t == FrameType.PARITY)) {
                sb.append(",\"stream_id\":").append(id).append(",\"frame_number\":").append(where)
                        .append(t == FrameType.FRAGMENT ? ",\"fragment\":" : ",\"parity_group\":").append(length);
            }
            sb.append('}');
        }
        if ((mask & Tracer.CONTROL_BIT) != 0) {
            sb.append(first ? "" : ",").append("{\"frame_type\":\"udpix:control\"}");
        }
    }

    private static String frameName(int type) {
        return switch (type) {
            case FrameType.PADDING -> "padding";
            case FrameType.PING -> "ping";
            case FrameType.ACK -> "ack";
            default -> "udpix:" + FrameType.name(type).toLowerCase(Locale.ROOT);
        };
    }

    private static String ccState(long code) {
        Bbr.Mode[] modes = Bbr.Mode.values();
        return code >= 0 && code < modes.length ? modes[(int) code].name().toLowerCase(Locale.ROOT) : "unknown";
    }

    /** Nanoseconds as milliseconds with three decimals, without allocating. */
    private static void millis(StringBuilder sb, long ns) {
        if (ns < 0) {
            sb.append('-');
            ns = -ns;
        }
        long us = ns / 1000;
        sb.append(us / 1000).append('.');
        long frac = us % 1000;
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }
}
