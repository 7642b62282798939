package io.udpix.cli.serve;

import io.udpix.api.ReceivedItem;
import io.udpix.api.ServerEvent;
import io.udpix.api.stream.Frame;
import io.udpix.api.stream.StreamEnd;
import io.udpix.dashboard.Dashboard;

/**
 * The server's callbacks on their way to the dashboard: the server must be built with its callbacks before the
 * dashboard (which reads the server) can start, so they go through here, and do nothing until {@link #attach}.
 */
final class DashboardTap {
    private volatile Dashboard dashboard;

    /** A dashboard bug must not cost the item line or the stream display that follow it on the same thread. */
    private static void failed(RuntimeException e) {
        System.getLogger(DashboardTap.class.getName()).log(System.Logger.Level.WARNING, "the dashboard failed on a "
                + "server callback", e);
    }

    /** From now on the callbacks reach {@code target}. */
    void attach(Dashboard target) {
        this.dashboard = target;
    }

    void item(ReceivedItem item) {
        Dashboard d = dashboard;
        if (d != null) {
            try {
                d.item(item);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    void event(ServerEvent event) {
        Dashboard d = dashboard;
        if (d != null) {
            try {
                d.event(event);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    void frame(Frame frame) {
        Dashboard d = dashboard;
        if (d != null) {
            try {
                d.frame(frame);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    void streamEnded(StreamEnd end) {
        Dashboard d = dashboard;
        if (d != null) {
            try {
                d.streamEnded(end);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }
}
