package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ArangoDB source against a protocol stub of ArangoDB's HTTP API (no server can be installed here). */
class ArangoTopologyTest {
    static final long SNAP = 1_700_000_060L;
    static final String PROC = "m1_proc_42";

    ArangoStub stub;
    ArangoTopology topo;
    /** vertices of snapshot SNAP by _key, and edges (relation, from, to). */
    final Map<String, ObjectNode> vertices = new LinkedHashMap<>();
    final List<String[]> edges = new ArrayList<>();
    final Set<Long> snapshots = new TreeSet<>(List.of(1_700_000_000L, SNAP));

    @BeforeEach
    void setUp() throws Exception {
        stub = new ArangoStub("spider");
        vertex("m1_host", "host");
        vertex(PROC, "proc").put("pid", 42).put("comm", "nginx");
        vertex("m1_cpu_0", "cpu");
        vertex("m1_disk_sda", "disk");
        vertex("m1_block_sda1", "block");
        vertex("m1_sli_42", "sli");
        edge("runs_on", PROC, "m1_host");
        edge("belongs_to", "m1_cpu_0", "m1_host");
        edge("belongs_to", "m1_disk_sda", "m1_host");
        edge("belongs_to", "m1_block_sda1", "m1_disk_sda");
        edge("belongs_to", "m1_sli_42", PROC);
        stub.answer = this::answer;
        topo = new ArangoTopology(new RcaConfig.Arango(stub.url(), "spider", "rca", "s3cret-pw", Duration.ofSeconds(2), "http1"),
                Duration.ofSeconds(120));
    }

    @AfterEach
    void tearDown() {
        topo.close();
        stub.close();
    }

    ObjectNode vertex(String key, String type) {
        ObjectNode v = ArangoStub.JSON.createObjectNode();
        v.put("_key", key);
        v.put("_id", "ObserveEntities_" + SNAP + "/" + key);
        v.put("_rev", "_h1");
        v.put("type", type);
        v.put("level", "HOST");
        v.put("machine_id", "m1");
        v.putObject("metrics").put("some_metric", 1.5);
        vertices.put(key, v);
        return v;
    }

    void edge(String rel, String from, String to) {
        edges.add(new String[] {rel, from, to});
    }

    /** What a server holding the fixture answers to our two queries; asserts they use bind parameters only. */
    Object answer(String query, JsonNode bind) {
        for (String key : vertices.keySet()) assertFalse(query.contains(key), "entity id in the AQL text: " + query);
        if (query.contains("@@timestamps")) {
            assertEquals("Timestamps", bind.path("@timestamps").asText());
            assertTrue(bind.path("t").isIntegralNumber(), "t is a number: " + bind);
            long t = bind.path("t").asLong();
            Long best = null;
            for (long s : snapshots) if (s <= t) best = s;
            return best == null ? List.of() : List.of(ArangoStub.JSON.getNodeFactory().textNode(String.valueOf(best)));
        }
        if (query.contains("@ids")) return edgesAmong(query, bind);
        assertTrue(query.contains("ANY @start"), query);
        assertTrue(query.startsWith("WITH ObserveEntities_" + SNAP + " FOR v IN"), "the vertex collection is declared: " + query);
        int depth = bind.path("depth").asInt(-1);
        assertTrue(depth >= 0, "depth bound: " + bind);
        String start = bind.path("start").asText();
        Set<String> colls = new HashSet<>();
        for (Iterator<String> it = bind.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith("@r")) {
                colls.add(bind.get(k).asText());
                assertTrue(query.contains("@" + k), "placeholder @" + k + " used in " + query);
            }
        }
        String prefix = "ObserveEntities_" + SNAP + "/";
        if (!start.startsWith(prefix)) return new ArangoStub.Failure(404, 1203, "collection or view not found: " + start);
        String key = start.substring(prefix.length());
        if (!vertices.containsKey(key)) return List.of();
        List<JsonNode> rows = new ArrayList<>();
        Map<String, Integer> dist = new LinkedHashMap<>();
        dist.put(key, 0);
        ObjectNode first = ArangoStub.JSON.createObjectNode();
        first.set("v", vertices.get(key));
        first.putNull("e");
        rows.add(first);
        ArrayDeque<String> q = new ArrayDeque<>(List.of(key));
        int eid = 0;
        while (!q.isEmpty()) {
            String x = q.poll();
            if (dist.get(x) >= depth) continue;
            for (String[] e : edges) {
                eid++;
                if (!colls.contains(e[0])) continue;
                String o = e[1].equals(x) ? e[2] : e[2].equals(x) ? e[1] : null;
                if (o == null || dist.containsKey(o)) continue;
                dist.put(o, dist.get(x) + 1);
                q.add(o);
                ObjectNode row = ArangoStub.JSON.createObjectNode();
                row.set("v", vertices.get(o));
                ObjectNode ed = row.putObject("e");
                ed.put("_key", String.valueOf(eid));
                ed.put("_id", e[0] + "/" + eid);
                ed.put("_from", prefix + e[1]);
                ed.put("_to", prefix + e[2]);
                ed.put("type", e[0]);
                ed.put("layer", "direct");
                ed.put("timestamp", SNAP);
                rows.add(row);
            }
        }
        return rows;
    }

    /** The edges query: every fixture edge of the bound collections with both ends among the bound ids. */
    Object edgesAmong(String query, JsonNode bind) {
        Set<String> ids = new HashSet<>();
        bind.path("ids").forEach(n -> ids.add(n.asText()));
        Set<String> colls = new HashSet<>();
        for (Iterator<String> it = bind.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.startsWith("@r")) {
                colls.add(bind.get(k).asText());
                assertTrue(query.contains("@" + k + " "), "placeholder @" + k + " used in " + query);
            }
        }
        String prefix = "ObserveEntities_" + SNAP + "/";
        List<JsonNode> rows = new ArrayList<>();
        int eid = 0;
        for (String[] e : edges) {
            eid++;
            if (!colls.contains(e[0]) || !ids.contains(prefix + e[1]) || !ids.contains(prefix + e[2])) continue;
            ObjectNode ed = ArangoStub.JSON.createObjectNode();
            ed.put("_key", String.valueOf(eid));
            ed.put("_id", e[0] + "/" + eid);
            ed.put("_from", prefix + e[1]);
            ed.put("_to", prefix + e[2]);
            ed.put("type", e[0]);
            rows.add(ed);
        }
        return rows;
    }

    @Test
    void edgesThatCloseACycleAreKept() throws Exception {
        // a process in a container on the host: sli -> proc, proc runs_on host, proc belongs_to container,
        // container runs_on host; the traversal reaches host and container once each, by one edge each
        vertex("m1_container_c1", "container");
        edge("belongs_to", PROC, "m1_container_c1");
        edge("runs_on", "m1_container_c1", "m1_host");
        Neighbourhood n = topo.around(PROC, (SNAP + 30) * 1000, 1);
        assertEquals(Set.of(PROC, "m1_host", "m1_sli_42", "m1_container_c1"), n.entities().keySet());
        assertTrue(n.edges().contains(new Edge("m1_container_c1", "m1_host", "runs_on")), n.edges().toString());
        assertTrue(n.edges().contains(new Edge(PROC, "m1_container_c1", "belongs_to")), n.edges().toString());
        assertTrue(n.edges().contains(new Edge(PROC, "m1_host", "runs_on")), n.edges().toString());
        assertEquals(4, n.edges().size(), n.edges().toString());
    }

    @Test
    void readsTheNeighbourhoodOfTheNearestSnapshotWithBindParameters() throws Exception {
        Neighbourhood n = topo.around(PROC, (SNAP + 30) * 1000, 2);
        assertEquals(PROC, n.center());
        assertEquals(SNAP * 1000, n.snapshotMs());
        assertEquals(Set.of(PROC, "m1_host", "m1_cpu_0", "m1_disk_sda", "m1_sli_42"), n.entities().keySet());
        Entity p = n.entity(PROC);
        assertEquals("proc", p.type());
        assertEquals("m1", p.machineId());
        assertEquals("42", p.tags().get("pid"));
        assertEquals("nginx", p.tags().get("comm"));
        assertFalse(p.tags().containsKey("_rev"));
        assertTrue(n.edges().contains(new Edge(PROC, "m1_host", "runs_on")), n.edges().toString());
        assertTrue(n.edges().contains(new Edge("m1_sli_42", PROC, "belongs_to")));
        assertEquals(4, n.edges().size());

        List<ArangoStub.Request> cursors = stub.cursorCreates();
        assertEquals(3, cursors.size(), "snapshot, traversal, edges among the entities");
        JsonNode snapReq = cursors.get(0).json();
        assertEquals(ArangoTopology.SNAPSHOT_AQL, snapReq.path("query").asText());
        assertEquals(SNAP + 30, snapReq.path("bindVars").path("t").asLong());
        JsonNode trav = cursors.get(1).json();
        assertEquals("ObserveEntities_" + SNAP + "/" + PROC, trav.path("bindVars").path("start").asText());
        assertEquals(2, trav.path("bindVars").path("depth").asInt());
        Set<String> bound = new TreeSet<>();
        trav.path("bindVars").fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("@r")) bound.add(f.getValue().asText());
        });
        assertEquals(new TreeSet<>(ArangoTopology.RELATIONS), bound);
        JsonNode eq = cursors.get(2).json();
        assertEquals(5, eq.path("bindVars").path("ids").size(), "the entities' ids are bound, not written into the AQL");
        // 5 traversal rows and 4 edges in batches of 2: the driver had to continue the cursors 2 + 1 times
        long continuations = stub.requests.stream().filter(r -> r.path().startsWith("/_db/spider/_api/cursor/")).count();
        assertEquals(3, continuations, stub.requests.toString());
        // basic auth with the configured user
        String expected = "Basic " + Base64.getEncoder().encodeToString("rca:s3cret-pw".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, cursors.get(0).authorization());
    }

    @Test
    void onlyRelationCollectionsThatExistAreTraversed() throws Exception {
        stub.edgeCollections = List.of("runs_on", "belongs_to");
        topo.around(PROC, (SNAP + 1) * 1000, 1);
        JsonNode trav = stub.cursorCreates().get(1).json();
        Set<String> bound = new TreeSet<>();
        trav.path("bindVars").fields().forEachRemaining(f -> {
            if (f.getKey().startsWith("@r")) bound.add(f.getValue().asText());
        });
        assertEquals(Set.of("belongs_to", "runs_on"), bound);
    }

    @Test
    void aPartialListOfRelationCollectionsIsListedAgainSoonAFullOneLater() throws Exception {
        long[] now = {1_000_000};
        topo.clock = () -> now[0];
        // gala-spider has not created its relation collections yet
        stub.edgeCollections = List.of();
        TopologyException e = assertThrows(TopologyException.class, () -> topo.around(PROC, (SNAP + 1) * 1000, 2));
        assertEquals(TopologyException.Reason.UNAVAILABLE, e.reason());
        stub.edgeCollections = ArangoTopology.RELATIONS;
        now[0] += ArangoTopology.PARTIAL_RELATION_REFRESH_MS + 1;
        assertTrue(topo.around(PROC, (SNAP + 1) * 1000, 2).entities().containsKey("m1_host"), "listed again after 30 s");
        // the full list is kept: no listing for the next lookup half a minute on
        long listings = collectionListings();
        now[0] += ArangoTopology.PARTIAL_RELATION_REFRESH_MS + 1;
        topo.around(PROC, (SNAP + 1) * 1000, 2);
        assertEquals(listings, collectionListings());
    }

    private long collectionListings() {
        synchronized (stub.requests) {
            return stub.requests.stream().filter(r -> r.method().equals("GET") && r.path().endsWith("/_api/collection")).count();
        }
    }

    @Test
    void depthBoundsTheTraversal() throws Exception {
        Neighbourhood n = topo.around("m1_block_sda1", (SNAP + 1) * 1000, 1);
        assertEquals(Set.of("m1_block_sda1", "m1_disk_sda"), n.entities().keySet());
    }

    @Test
    void snapshotOlderThanTheToleranceIsRefused() {
        TopologyException e = assertThrows(TopologyException.class, () -> topo.around(PROC, (SNAP + 121) * 1000, 2));
        assertEquals(TopologyException.Reason.SNAPSHOT_TOO_OLD, e.reason());
    }

    @Test
    void noSnapshotBeforeTheEvent() {
        TopologyException e = assertThrows(TopologyException.class, () -> topo.around(PROC, 1_600_000_000_000L, 2));
        assertEquals(TopologyException.Reason.NO_SNAPSHOT, e.reason());
    }

    @Test
    void entityMissingFromTheSnapshot() {
        TopologyException e = assertThrows(TopologyException.class, () -> topo.around("m9_proc_1", (SNAP + 1) * 1000, 2));
        assertEquals(TopologyException.Reason.ENTITY_MISSING, e.reason());
    }

    @Test
    void serverErrorIsUnavailable() {
        stub.answer = (q, b) -> new ArangoStub.Failure(500, 4, "internal error (stub)");
        TopologyException e = assertThrows(TopologyException.class, () -> topo.around(PROC, (SNAP + 1) * 1000, 2));
        assertEquals(TopologyException.Reason.UNAVAILABLE, e.reason());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-pw"));
    }

    @Test
    void slowServerTimesOut() {
        stub.delayMs = 3000;
        TopologyException e = assertThrows(TopologyException.class, () -> topo.around(PROC, (SNAP + 1) * 1000, 2));
        assertEquals(TopologyException.Reason.TIMEOUT, e.reason(), e.getMessage());
    }

    /**
     * A server that takes the connection and never answers (a frozen process, a black-holed network): every query
     * ends at Arangodb.timeout, and the line says how long it waited and which key sets it.
     */
    @Test
    void aServerThatAcceptsAndNeverAnswersTimesOutNamingTheLimit() throws Exception {
        List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            Thread accept = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept());
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            accept.setDaemon(true);
            accept.start();
            try (ArangoTopology t = new ArangoTopology(new RcaConfig.Arango("http://127.0.0.1:" + silent.getLocalPort(),
                    "spider", "", "", Duration.ofMillis(1500), "http1"), Duration.ofSeconds(120))) {
                TopologyException e = assertThrows(TopologyException.class, () -> t.around(PROC, (SNAP + 1) * 1000, 2));
                assertEquals(TopologyException.Reason.TIMEOUT, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("no answer within 1500 ms (Arangodb.timeout)"), e.getMessage());
                assertFalse(held.isEmpty(), "the driver did connect");
                // the next lookup meets the same silence, and says so (not the driver's 'Connection was closed')
                TopologyException again = assertThrows(TopologyException.class, () -> t.around(PROC, (SNAP + 1) * 1000, 2));
                assertEquals(TopologyException.Reason.TIMEOUT, again.reason(), again.getMessage());
            } finally {
                for (java.net.Socket s : held) s.close();
            }
        }
    }

    /**
     * A server that answers a byte now and then (overloaded, a degraded link): the driver's timeout is the longest
     * silence, so a lookup lasted as long as the trickle (100 bytes at 300 ms took 30 s for a 1 s timeout), holding
     * the RCA thread. The whole answer now has a deadline, the stuck client is shut down (the server sees the hang-up)
     * and the next lookup, the server quick again, is answered.
     */
    @Test
    void aServerTricklingItsAnswerTimesOutAndTheNextLookupIsAnswered() throws Exception {
        try (ArangoTopology t = new ArangoTopology(new RcaConfig.Arango(stub.url(), "spider", "", "", Duration.ofMillis(1000),
                "http1"), Duration.ofSeconds(120))) {
            stub.trickleMs = 300; // the snapshot query's answer alone is some 400 bytes: 2 minutes
            TopologyException e = assertThrows(TopologyException.class, () -> t.around(PROC, (SNAP + 1) * 1000, 2));
            assertEquals(TopologyException.Reason.TIMEOUT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("snapshot timed out: its answer did not come whole within 1500 ms (Arangodb.timeout 1000 ms and half as long again)"),
                    e.getMessage());
            stub.trickleMs = 0;
            for (int i = 0; i < 200 && stub.trickleCut.get() == 0; i++) Thread.sleep(50);
            assertEquals(1, stub.trickleCut.get(), "the abandoned call's connection was closed, not left trickling");
            Neighbourhood n = t.around(PROC, (SNAP + 1) * 1000, 2);
            assertTrue(n.entities().containsKey("m1_host"), n.entities().keySet().toString());
        }
    }

    @Test
    void serverDownIsUnavailable() throws Exception {
        int port = stub.port();
        stub.close();
        try (ArangoTopology t = new ArangoTopology(new RcaConfig.Arango("http://127.0.0.1:" + port, "spider", "", "",
                Duration.ofSeconds(1), "http1"), Duration.ofSeconds(120))) {
            TopologyException e = assertThrows(TopologyException.class, () -> t.around(PROC, (SNAP + 1) * 1000, 2));
            assertTrue(e.reason() == TopologyException.Reason.UNAVAILABLE || e.reason() == TopologyException.Reason.TIMEOUT,
                    e.reason() + " " + e.getMessage());
        }
    }

    @Test
    void versionIsAsked() throws Exception {
        assertEquals("3.11.5", topo.version());
    }

    @Test
    void describeAndConfigNeverShowThePassword() {
        assertFalse(topo.describe().contains("s3cret-pw"));
        RcaConfig.Arango a = new RcaConfig.Arango("http://x:8529", "spider", "u", "s3cret-pw", Duration.ofSeconds(1), "http1");
        assertFalse(a.toString().contains("s3cret-pw"));
    }
}
