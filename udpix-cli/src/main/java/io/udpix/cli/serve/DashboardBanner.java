package io.udpix.cli.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.udpix.cli.OutputOptions;
import io.udpix.cli.report.ReportFormat;
import io.udpix.dashboard.Dashboard;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The line that tells where the dashboard is: {@code dashboard on URL} (plain), or {@code {"time":...,
 * "event":"http","url":...}} with {@code --format json}. Printed even with {@code --quiet}: with
 * {@code --http-token auto} the URL is the only place the token appears.
 */
final class DashboardBanner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DashboardBanner() {
    }

    static void print(Dashboard dashboard, OutputOptions output, PrintStream out) {
        String line;
        if (output.format() == ReportFormat.JSON) {
            ObjectNode event = JSON.createObjectNode();
            event.put("time", Instant.now().toString());
            event.put("event", "http");
            event.put("url", dashboard.url());
            line = event.toString();
        } else {
            boolean everywhere = dashboard.address().getAddress().isAnyLocalAddress();
            line = "dashboard on " + dashboard.url() + (everywhere ? " (every interface: from another machine use "
                    + "this machine's address instead of " + dashboard.address().getAddress().getHostAddress() + ")"
                    : "");
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
