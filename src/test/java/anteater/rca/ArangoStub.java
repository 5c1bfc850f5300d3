package anteater.rca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A protocol stub of the parts of ArangoDB's HTTP API that arangodb-java-driver uses for our lookups: version,
 * collection list, cursor create (POST /_db/{db}/_api/cursor), cursor continuation (PUT or POST
 * /_db/{db}/_api/cursor/{id}[/{batch}]) and cursor delete. Answers are shaped like the real server's
 * (result, hasMore, id, count, cached, extra, error, code; errors with errorNum and errorMessage). Results are
 * cut into batches of {@code batch} documents whatever the client asks, to exercise continuation.
 */
final class ArangoStub implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Request(String method, String path, String body, String authorization) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + body);
            }
        }
    }

    /** An error answer: HTTP status, ArangoDB errorNum, message. */
    record Failure(int status, int errorNum, String message) {
    }

    final HttpServer server;
    final String db;
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    final Map<String, List<JsonNode>> openCursors = new ConcurrentHashMap<>();
    final AtomicInteger nextId = new AtomicInteger(1000);
    volatile int batch = 2;
    volatile long delayMs;
    /** While above 0, answers are sent a byte at a time, this many ms apart (a server answering too slowly). */
    volatile long trickleMs;
    /** Trickled answers whose client hung up before their end. */
    final AtomicInteger trickleCut = new AtomicInteger();
    volatile List<String> edgeCollections = ArangoTopology.RELATIONS;
    /** query + bindVars -> rows (a List of JsonNode) or a Failure. */
    volatile BiFunction<String, JsonNode, Object> answer = (q, b) -> List.of();

    ArangoStub(String db) throws IOException {
        this.db = db;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "arango-stub");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    List<Request> cursorCreates() {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method().equals("POST") && r.path().equals("/_db/" + db + "/_api/cursor")).toList();
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        requests.add(new Request(method, path, body, ex.getRequestHeaders().getFirst("Authorization")));
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String prefix = "/_db/" + db;
        if (path.endsWith("/_api/version") && method.equals("GET")) {
            send(ex, 200, "{\"server\":\"arango\",\"version\":\"3.11.5\",\"license\":\"community\"}");
        } else if (path.equals(prefix + "/_api/collection") && method.equals("GET")) {
            ObjectNode r = JSON.createObjectNode();
            r.put("error", false);
            r.put("code", 200);
            ArrayNode arr = r.putArray("result");
            int i = 0;
            for (String name : List.of("Timestamps")) collection(arr.addObject(), name, 2, ++i);
            for (String name : edgeCollections) collection(arr.addObject(), name, 3, ++i);
            send(ex, 200, r.toString());
        } else if (path.equals(prefix + "/_api/cursor") && method.equals("POST")) {
            JsonNode req = JSON.readTree(body);
            Object a = answer.apply(req.path("query").asText(), req.path("bindVars"));
            if (a instanceof Failure f) {
                error(ex, f);
                return;
            }
            @SuppressWarnings("unchecked")
            List<JsonNode> rows = new ArrayList<>((List<JsonNode>) a);
            sendBatch(ex, 201, null, rows, req.path("count").asBoolean(false) ? rows.size() : -1);
        } else if (path.startsWith(prefix + "/_api/cursor/") && (method.equals("PUT") || method.equals("POST"))) {
            String id = path.substring((prefix + "/_api/cursor/").length()).split("/")[0];
            List<JsonNode> rows = openCursors.remove(id);
            if (rows == null) {
                error(ex, new Failure(404, 1600, "cursor not found"));
                return;
            }
            sendBatch(ex, 200, id, rows, -1);
        } else if (path.startsWith(prefix + "/_api/cursor/") && method.equals("DELETE")) {
            String id = path.substring((prefix + "/_api/cursor/").length());
            openCursors.remove(id);
            send(ex, 202, "{\"id\":\"" + id + "\",\"error\":false,\"code\":202}");
        } else {
            error(ex, new Failure(404, 404, "unknown path " + path + " (stub)"));
        }
    }

    private static void collection(ObjectNode c, String name, int type, int id) {
        c.put("id", String.valueOf(id));
        c.put("name", name);
        c.put("status", 3);
        c.put("type", type);
        c.put("isSystem", false);
        c.put("globallyUniqueId", "h" + id);
    }

    private void sendBatch(HttpExchange ex, int code, String id, List<JsonNode> rows, int count) throws IOException {
        int n = Math.min(batch, rows.size());
        ObjectNode r = JSON.createObjectNode();
        ArrayNode res = r.putArray("result");
        for (int i = 0; i < n; i++) res.add(rows.get(i));
        boolean more = rows.size() > n;
        r.put("hasMore", more);
        if (more) {
            String cid = id != null ? id : String.valueOf(nextId.incrementAndGet());
            openCursors.put(cid, new ArrayList<>(rows.subList(n, rows.size())));
            r.put("id", cid);
        }
        if (count >= 0) r.put("count", count);
        r.put("cached", false);
        ObjectNode extra = r.putObject("extra");
        extra.putArray("warnings");
        ObjectNode stats = extra.putObject("stats");
        stats.put("writesExecuted", 0);
        stats.put("writesIgnored", 0);
        stats.put("scannedFull", rows.size());
        stats.put("scannedIndex", 0);
        stats.put("filtered", 0);
        stats.put("httpRequests", 0);
        stats.put("executionTime", 0.0002);
        stats.put("peakMemoryUsage", 0);
        r.put("error", false);
        r.put("code", code);
        send(ex, code, r.toString());
    }

    private void error(HttpExchange ex, Failure f) throws IOException {
        ObjectNode r = JSON.createObjectNode();
        r.put("error", true);
        r.put("code", f.status());
        r.put("errorNum", f.errorNum());
        r.put("errorMessage", f.message());
        send(ex, f.status(), r.toString());
    }

    private void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.getResponseHeaders().set("Server", "ArangoDB");
        ex.sendResponseHeaders(status, b.length);
        long trickle = trickleMs;
        try (OutputStream o = ex.getResponseBody()) {
            if (trickle <= 0) {
                o.write(b);
                return;
            }
            try {
                for (byte x : b) {
                    o.write(x);
                    o.flush();
                    Thread.sleep(trickle);
                }
            } catch (IOException | InterruptedException e) {
                trickleCut.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
