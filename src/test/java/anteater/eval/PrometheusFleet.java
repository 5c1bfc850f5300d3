package anteater.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Prometheus query_range answer of two instances, for tests outside this package. */
public final class PrometheusFleet {
    private PrometheusFleet() {
    }

    /** node_load1 and node_memory_MemAvailable_bytes of web1:9100 and web2:9100, {@code n} samples each. */
    public static Path fleet(Path dir, int n) throws IOException {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        String[] hosts = {"web1", "web2"}, names = {"node_load1", "node_memory_MemAvailable_bytes"};
        boolean first = true;
        for (String h : hosts) {
            for (String name : names) {
                if (!first) b.append(',');
                first = false;
                b.append("{\"metric\":{\"__name__\":\"").append(name).append("\",\"instance\":\"").append(h)
                        .append(":9100\",\"job\":\"node\"},\"values\":[");
                for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append('[').append(i + 1).append(",\"").append(i % 7).append("\"]");
                b.append("]}");
            }
        }
        return Files.writeString(dir.resolve("fleet.json"), b.append("]}}").toString());
    }
}
