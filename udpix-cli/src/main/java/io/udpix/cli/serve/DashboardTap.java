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

    /** From now on the callbacks reach {@code target}. */
    void attach(Dashboard target) {
        this.dashboard = target;
    }

    void item(ReceivedItem item) {
        Dashboard d = dashboard;
        if (d != null) {
            d.item(item);
        }
    }

    void event(ServerEvent event) {
        Dashboard d = dashboard;
        if (d != null) {
            d.event(event);
        }
    }

    void frame(Frame frame) {
        Dashboard d = dashboard;
        if (d != null) {
            d.frame(frame);
        }
    }

    void streamEnded(StreamEnd end) {
        Dashboard d = dashboard;
        if (d != null) {
            d.streamEnded(end);
        }
    }
}
