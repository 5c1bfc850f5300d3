package anteater.rca;

import com.arangodb.ArangoCursor;
import com.arangodb.ArangoDB;
import com.arangodb.ArangoDBException;
import com.arangodb.ArangoDatabase;
import com.arangodb.Protocol;
import com.arangodb.entity.CollectionEntity;
import com.arangodb.entity.CollectionType;
import com.arangodb.model.AqlQueryOptions;
import com.arangodb.model.CollectionsReadOptions;
import com.arangodb.util.RawJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology gala-spider keeps in ArangoDB: collection {@code Timestamps} (one document per snapshot, key =
 * epoch seconds), vertex collection {@code ObserveEntities_<ts>} per snapshot, one edge collection per relation.
 * A lookup takes the newest snapshot at or before the event time (refused if older than the tolerance), then
 * traverses the relation collections from the entity, bounded in depth, for the entities, and reads every edge
 * between those entities (a traversal that visits each entity once returns a spanning tree, not all edges). Every value reaches AQL as a bind
 * parameter (collections as {@code @@name}); the query texts are constants but for the list of edge-collection
 * placeholders and the traversal's {@code WITH ObserveEntities_<n>} (n: the snapshot key parsed as a number).
 */
public final class ArangoTopology implements Topology {
    private static final Logger LOG = LoggerFactory.getLogger(ArangoTopology.class);

    /** The relation (edge) collections gala-spider writes. */
    public static final List<String> RELATIONS = List.of("runs_on", "belongs_to", "is_server", "is_client", "is_peer",
            "connect", "has_vhost", "store_in");

    static final String SNAPSHOT_AQL = "FOR t IN @@timestamps FILTER TO_NUMBER(t._key) <= @t "
            + "SORT TO_NUMBER(t._key) DESC LIMIT 1 RETURN t._key";

    /**
     * The entities within depth hops (each visited once: the traversal's own edges would be a spanning tree only),
     * nearest first and at most @limit of them, without their {@code metrics} (never read, and most of a vertex).
     */
    static final String TRAVERSAL_AQL = "WITH %s FOR v IN 0..@depth ANY @start %s "
            + "OPTIONS {order: \"bfs\", uniqueVertices: \"global\"} LIMIT @limit RETURN {v: UNSET(v, \"metrics\")}";

    /** Every edge between those entities, of each relation collection (%s: one subquery per collection), bounded. */
    static final String EDGES_AQL = "FOR e IN FLATTEN([%s]) LIMIT @limit RETURN e";
    static final String EDGES_OF = "(FOR x IN @@r%d FILTER x._from IN @ids AND x._to IN @ids RETURN KEEP(x, \"_id\", \"_from\", \"_to\", \"type\"))";

    /**
     * Entities read per lookup at most (the nearest, breadth first). Depth 4 from an SLI covers its host and, along
     * connect and is_peer, the hosts it talks to: 100,000 vertices of 50 metrics took 1.1 GB of heap to read whole.
     */
    public static final int MAX_ENTITIES = 10_000;
    /** Edges read among them at most. */
    static final int EDGES_PER_ENTITY = 10;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long RELATION_REFRESH_MS = 600_000;
    /**
     * How long a list missing some relation collections is kept: gala-spider creates them as it first sees each
     * relation, so an agent started before it would otherwise miss (or, with none, refuse) relations for 10 minutes.
     */
    static final long PARTIAL_RELATION_REFRESH_MS = 30_000;
    /** Milliseconds now (tests move it). */
    java.util.function.LongSupplier clock = System::currentTimeMillis;

    /** Makes a client of the configuration: again after a call outran its deadline (the old one is shut down). */
    private final java.util.function.Supplier<ArangoDB> connect;
    private final String dbName;
    private ArangoDB arango;
    private ArangoDatabase db;
    /**
     * Runs each call of the driver, so that the whole answer has a deadline: the driver's timeout is the longest
     * silence, and a server sending a byte now and then (overloaded, a degraded link) kept a lookup for as long as it
     * trickled (100 bytes at 300 ms: 30 s for a 1 s timeout), the RCA thread with it.
     */
    private java.util.concurrent.ExecutorService caller;
    private final String describe;
    private final long toleranceMs;
    /** Arangodb.timeout: how long one request may wait for the server's answer. */
    private final long timeoutMs;
    private final List<String> relations;
    private final int maxEntities;
    private final RateLimitedLog truncated = new RateLimitedLog(LOG, 60_000);
    private List<String> present;
    private long presentAtMs;

    public ArangoTopology(RcaConfig.Arango cfg, Duration tolerance) {
        this(cfg, tolerance, RELATIONS);
    }

    public ArangoTopology(RcaConfig.Arango cfg, Duration tolerance, List<String> relations) {
        this(cfg, tolerance, relations, MAX_ENTITIES);
    }

    ArangoTopology(RcaConfig.Arango cfg, Duration tolerance, List<String> relations, int maxEntities) {
        if (maxEntities < 1) throw new IllegalArgumentException("maxEntities must be >= 1");
        this.maxEntities = maxEntities;
        URI uri;
        try {
            uri = URI.create(cfg.url());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Arangodb.url '" + cfg.url() + "' is not a URL, e.g. http://localhost:8529");
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("Arangodb.url '" + cfg.url() + "' must be http(s)://host:port, e.g. http://localhost:8529");
        }
        boolean tls = "https".equals(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : 8529;
        this.connect = () -> {
            ArangoDB.Builder b = new ArangoDB.Builder()
                    .host(uri.getHost(), port)
                    .protocol("http2".equals(cfg.protocol()) ? Protocol.HTTP2_JSON : Protocol.HTTP_JSON)
                    .useSsl(tls)
                    .timeout((int) Math.min(Integer.MAX_VALUE, cfg.timeout().toMillis()))
                    .maxConnections(1);
            if (cfg.username() != null && !cfg.username().isEmpty()) b.user(cfg.username());
            if (cfg.password() != null && !cfg.password().isEmpty()) b.password(cfg.password());
            return b.build();
        };
        this.dbName = cfg.dbName();
        this.arango = connect.get();
        this.db = arango.db(dbName);
        this.caller = newCaller();
        this.describe = "arangodb " + uri.getScheme() + "://" + uri.getHost() + ":" + port + "/" + cfg.dbName();
        this.toleranceMs = tolerance.toMillis();
        this.timeoutMs = cfg.timeout().toMillis();
        this.relations = List.copyOf(relations);
    }

    /** Asks the server's version (a start-up check for the log); returns it, or throws with the reason. */
    public String version() throws TopologyException {
        return call("version", () -> arango.getVersion().getVersion());
    }

    @Override
    public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
        long tSec = Math.floorDiv(timeMs, 1000L);
        Map<String, Object> bind = new LinkedHashMap<>();
        bind.put("@timestamps", "Timestamps");
        bind.put("t", tSec);
        List<JsonNode> snap = query(SNAPSHOT_AQL, bind, "snapshot");
        if (snap.isEmpty()) {
            throw new TopologyException(TopologyException.Reason.NO_SNAPSHOT, "no topology snapshot at or before " + tSec + " s in " + describe);
        }
        String key = snap.get(0).asText();
        long snapSec;
        try {
            snapSec = Long.parseLong(key);
        } catch (NumberFormatException e) {
            throw new TopologyException(TopologyException.Reason.NO_SNAPSHOT, "snapshot key '" + key + "' is not epoch seconds");
        }
        if ((tSec - snapSec) * 1000L > toleranceMs) {
            throw new TopologyException(TopologyException.Reason.SNAPSHOT_TOO_OLD, "newest snapshot " + snapSec + " is "
                    + (tSec - snapSec) + " s older than the event (tolerance " + toleranceMs / 1000 + " s)");
        }
        List<String> rels = presentRelations();
        if (rels.isEmpty()) {
            throw new TopologyException(TopologyException.Reason.UNAVAILABLE, "none of the relation collections " + relations + " exist in " + describe);
        }
        StringBuilder colls = new StringBuilder();
        Map<String, Object> tb = new LinkedHashMap<>();
        tb.put("depth", depth);
        tb.put("limit", maxEntities + 1); // one more, to tell a cut neighbourhood
        tb.put("start", "ObserveEntities_" + key + "/" + entityId);
        for (int i = 0; i < rels.size(); i++) {
            if (i > 0) colls.append(", ");
            colls.append("@@r").append(i);
            tb.put("@r" + i, rels.get(i));
        }
        List<JsonNode> rows;
        try {
            // a cluster wants the traversal's vertex collection declared, and WITH takes no bind parameter: the
            // name is built from the snapshot key parsed as a number above, so nothing from the data enters the text
            rows = query(String.format(TRAVERSAL_AQL, "ObserveEntities_" + snapSec, colls), tb, "traversal");
        } catch (TopologyException e) {
            if (e.getCause() instanceof ArangoDBException x && Integer.valueOf(1203).equals(x.getErrorNum())) {
                present = null; // a collection vanished: list them again next time
                throw new TopologyException(TopologyException.Reason.ENTITY_MISSING, "snapshot " + key
                        + " has no collection for the traversal: " + x.getErrorMessage(), x);
            }
            throw e;
        }
        if (rows.size() > maxEntities) {
            rows = rows.subList(0, maxEntities);
            truncated.warn("entities", System.currentTimeMillis(), "rca: the neighbourhood of " + entityId + " within "
                    + depth + " hops has more than " + maxEntities + " entities in " + describe
                    + "; only the nearest " + maxEntities + " are ranked (lower Rca.depth)");
        }
        Map<String, Entity> entities = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode row : rows) {
            JsonNode v = row.path("v");
            if (v.isObject()) {
                Entity en = entityOf(v);
                if (en != null && entities.putIfAbsent(en.id(), en) == null) ids.add(v.path("_id").asText());
            }
        }
        if (!entities.containsKey(entityId)) {
            throw new TopologyException(TopologyException.Reason.ENTITY_MISSING, "entity " + entityId
                    + " is not in snapshot ObserveEntities_" + key);
        }
        // all edges among the entities found (those that close a cycle too: sli-proc-container-host has one)
        StringBuilder subs = new StringBuilder();
        Map<String, Object> eb = new LinkedHashMap<>();
        eb.put("ids", ids);
        eb.put("limit", (long) EDGES_PER_ENTITY * Math.max(1, ids.size()));
        for (int i = 0; i < rels.size(); i++) {
            if (i > 0) subs.append(", ");
            subs.append(String.format(java.util.Locale.ROOT, EDGES_OF, i));
            eb.put("@r" + i, rels.get(i));
        }
        Map<String, Edge> edges = new LinkedHashMap<>();
        for (JsonNode e : query(String.format(EDGES_AQL, subs), eb, "edges")) {
            if (!e.isObject()) continue;
            String id = e.path("_id").asText("");
            String rel = id.contains("/") ? id.substring(0, id.indexOf('/')) : e.path("type").asText("");
            edges.putIfAbsent(id.isEmpty() ? edges.size() + "" : id,
                    new Edge(keyOf(e.path("_from").asText("")), keyOf(e.path("_to").asText("")), rel));
        }
        return new Neighbourhood(entityId, snapSec * 1000L, entities, new ArrayList<>(edges.values()));
    }

    private List<String> presentRelations() throws TopologyException {
        long now = clock.getAsLong();
        if (present != null && now - presentAtMs < (present.size() == relations.size() ? RELATION_REFRESH_MS
                : PARTIAL_RELATION_REFRESH_MS)) {
            return present;
        }
        ArangoDatabase d = db;
        Collection<CollectionEntity> all = call("collections", () -> d.getCollections(new CollectionsReadOptions().excludeSystem(true)));
        Set<String> edgeColls = new HashSet<>();
        for (CollectionEntity c : all) if (c.getType() == CollectionType.EDGES || c.getType() == null) edgeColls.add(c.getName());
        Set<String> p = new LinkedHashSet<>();
        for (String r : relations) if (edgeColls.contains(r)) p.add(r);
        present = List.copyOf(p);
        presentAtMs = now;
        return present;
    }

    private List<JsonNode> query(String aql, Map<String, Object> bind, String what) throws TopologyException {
        ArangoDatabase d = db;
        return call(what, () -> {
            List<JsonNode> out = new ArrayList<>();
            try (ArangoCursor<RawJson> c = d.query(aql, RawJson.class, bind, new AqlQueryOptions().batchSize(1000))) {
                while (c.hasNext()) out.add(JSON.readTree(c.next().get()));
            }
            return out;
        });
    }

    /**
     * Extra time the deadline of a whole call leaves the driver (half its timeout, at least 250 ms), so that a silent
     * server gets the driver's own error: the deadline is 1.5 x Arangodb.timeout.
     */
    private long deadlineMs() {
        return timeoutMs + Math.max(250, timeoutMs / 2);
    }

    private static java.util.concurrent.ExecutorService newCaller() {
        return java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "anteater-arangodb");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One call of the driver, its whole answer within {@link #deadlineMs}: one that outruns it is abandoned, and the
     * client shut down (which ends the call) and made again for the next call.
     */
    private synchronized <T> T call(String what, java.util.concurrent.Callable<T> c) throws TopologyException {
        java.util.concurrent.Future<T> f = caller.submit(c);
        try {
            return f.get(deadlineMs(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            reconnect();
            throw deadlineMissed(what, e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new TopologyException(TopologyException.Reason.UNAVAILABLE, describe + ": " + what + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            if (t instanceof ArangoDBException x) throw translate(x, what);
            if (t instanceof IOException x) {
                throw new TopologyException(TopologyException.Reason.UNAVAILABLE, describe + ": " + what + " answer is not JSON: " + x.getMessage(), x);
            }
            if (t instanceof RuntimeException x) throw x;
            if (t instanceof Error x) throw x;
            throw new TopologyException(TopologyException.Reason.UNAVAILABLE, describe + ": " + what + " failed: " + t, t);
        }
    }

    private TopologyException deadlineMissed(String what, TimeoutException e) {
        return new TopologyException(TopologyException.Reason.TIMEOUT, describe + ": " + what + " timed out: "
                + "its answer did not come whole within " + deadlineMs() + " ms (Arangodb.timeout " + timeoutMs + " ms and half as long again); the server is answering"
                + " too slowly (overloaded, or a degraded network)", e);
    }

    /** A fresh client and calling thread; the old client is shut down apart, which ends the call it was stuck in. */
    private void reconnect() {
        ArangoDB old = arango;
        java.util.concurrent.ExecutorService oldCaller = caller;
        arango = connect.get();
        db = arango.db(dbName);
        caller = newCaller();
        Thread t = new Thread(() -> {
            shutdown(old);
            oldCaller.shutdownNow();
        }, "anteater-arangodb-close");
        t.setDaemon(true);
        t.start();
    }

    private static void shutdown(ArangoDB a) {
        try {
            a.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("arangodb shutdown: {}", e.toString());
        }
    }

    private TopologyException translate(ArangoDBException e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                // a server that takes the connection and never answers (frozen, overloaded, a black-holed network)
                return new TopologyException(TopologyException.Reason.TIMEOUT, describe + ": " + what + " timed out: "
                        + "no answer within " + timeoutMs + " ms (Arangodb.timeout)", e);
            }
        }
        String detail = e.getErrorMessage() != null ? e.getErrorMessage() : String.valueOf(e.getMessage());
        if (e.getResponseCode() != null) detail = "HTTP " + e.getResponseCode() + " " + detail;
        return new TopologyException(TopologyException.Reason.UNAVAILABLE, describe + ": " + what + " failed: " + detail, e);
    }

    static Entity entityOf(JsonNode v) {
        String id = v.path("_key").asText("");
        if (id.isEmpty()) return null;
        Map<String, String> tags = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String k = f.getKey();
            if (k.startsWith("_") || k.equals("type") || k.equals("machine_id") || k.equals("metrics") || k.equals("level")) continue;
            if (f.getValue().isValueNode()) tags.put(k, f.getValue().asText());
        }
        return new Entity(id, v.path("type").asText(""), v.path("machine_id").asText(""), tags);
    }

    private static String keyOf(String docId) {
        int i = docId.indexOf('/');
        return i < 0 ? docId : docId.substring(i + 1);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public synchronized void close() {
        shutdown(arango);
        caller.shutdownNow();
    }
}
