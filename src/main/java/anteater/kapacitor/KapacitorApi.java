package anteater.kapacitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The parts of Kapacitor's HTTP API the walkthrough needs: ping, write, tasks, recordings, replays. */
public final class KapacitorApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public KapacitorApi(String baseUrl) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String url() {
        return base;
    }

    /** True when {@code /kapacitor/v1/ping} answers 204. */
    public boolean ping() {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "/kapacitor/v1/ping"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes line protocol to {@code /kapacitor/v1/write}; {@code precision} is n, u, ms, s, m or h. */
    public void write(String db, String rp, String precision, List<String> lines) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder(lines.size() * 72);
        for (String l : lines) body.append(l).append('\n');
        String q = "/kapacitor/v1/write?db=" + db + "&rp=" + rp + "&precision=" + precision;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + q))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new IOException("write of " + lines.size() + " lines to " + base + q + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    /** Writes {@code lines} in chunks of {@code chunk} lines. */
    public void writeChunked(String db, String rp, String precision, List<String> lines, int chunk)
            throws IOException, InterruptedException {
        for (int i = 0; i < lines.size(); i += chunk) {
            write(db, rp, precision, lines.subList(i, Math.min(lines.size(), i + chunk)));
        }
    }

    public JsonNode task(String id) throws IOException, InterruptedException {
        return get("/kapacitor/v1/tasks/" + id);
    }

    public JsonNode recording(String id) throws IOException, InterruptedException {
        return get("/kapacitor/v1/recordings/" + id);
    }

    public JsonNode replay(String id) throws IOException, InterruptedException {
        return get("/kapacitor/v1/replays/" + id);
    }

    /**
     * Polls a recording or replay ({@code kind} "recordings" or "replays") until its status leaves "running".
     * Returns the final JSON; throws if it failed or is still running after {@code timeout}.
     */
    public JsonNode awaitFinished(String kind, String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode n = get("/kapacitor/v1/" + kind + "/" + id);
            String status = n.path("status").asText();
            if (status.equals("finished")) return n;
            if (status.equals("failed")) {
                throw new IOException(kind + " " + id + " failed: " + n.path("error").asText("(no error text)"));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(kind + " " + id + " still '" + status + "' after " + timeout.toSeconds() + " s: " + n);
            }
            Thread.sleep(100);
        }
    }

    public JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) throw new IOException("GET " + base + path + " answered " + r.statusCode() + ": " + r.body());
        return JSON.readTree(r.body());
    }
}
