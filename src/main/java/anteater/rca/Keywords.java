package anteater.rca;

import java.util.Locale;

/** The area of a cause as gala-inference names it: process, disk, network, cpu or memory. */
public final class Keywords {
    /** "io" or "bio" as a word of a metric name (io_wait, read_io, bio_latency). */
    private static final java.util.regex.Pattern IO_WORD = java.util.regex.Pattern.compile("(^|[_.:])b?io([_.:]|$)");
    private Keywords() {
    }

    public static String of(String entityType, String metric) {
        String t = entityType == null ? "" : entityType.toLowerCase(Locale.ROOT);
        String m = metric == null ? "" : metric.toLowerCase(Locale.ROOT);
        switch (t) {
            case "proc", "thread", "container", "sli", "appinstance", "pod", "process":
                return "process";
            case "block", "disk", "fs":
                return "disk";
            case "tcp_link", "nic", "qdisc", "endpoint", "udp", "tcp":
                return "network";
            case "cpu":
                return "cpu";
            case "mem", "memory":
                return "memory";
            default:
                break;
        }
        // host and unknown types: by the metric's name
        if (m.contains("mem")) return "memory";
        if (m.contains("cpu")) return "cpu";
        if (m.contains("net") || m.contains("tcp") || m.contains("nic") || m.contains("rtt")) return "network";
        // "io" as a word of the name (io_wait, read_io, bio), not inside connection, ratio, session, version
        if (m.contains("disk") || m.contains("block") || IO_WORD.matcher(m).find()) return "disk";
        return "process";
    }
}
