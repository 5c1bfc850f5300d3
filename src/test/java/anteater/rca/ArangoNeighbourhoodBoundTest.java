package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large neighbourhood is read bounded: before, the traversal returned every vertex within depth hops with all
 * its metrics (100,000 vertices of 50 metrics took 1.1 GB of heap; the README runs the agent with -Xmx256m), and
 * the edges query every edge among them.
 */
class ArangoNeighbourhoodBoundTest {
    static final long SNAP = 1_700_000_060L;
    static final String PREFIX = "ObserveEntities_" + SNAP + "/";

    static ObjectNode vertex(String key, String type) {
        ObjectNode v = ArangoStub.JSON.createObjectNode();
        v.put("_key", key);
        v.put("_id", PREFIX + key);
        v.put("type", type);
        v.put("machine_id", "m1");
        v.putObject("metrics").put("gala_gopher_proc_utime", 1.0);
        return v;
    }

    @Test
    void theTraversalIsCutAtTheNearestEntitiesAndTheEdgesAreBounded() throws Exception {
        // sli_0 - proc_0 - host - proc_1..proc_10049, breadth first (what the server's bfs order gives); the bound
        // is ArangoTopology.MAX_ENTITIES, written out so that this compiles without it
        int max = 10_000;
        List<JsonNode> bfs = new ArrayList<>();
        bfs.add(vertex("m1_sli_0", "sli"));
        bfs.add(vertex("m1_proc_0", "proc"));
        bfs.add(vertex("m1_host", "host"));
        for (int i = 1; i < max + 50; i++) bfs.add(vertex("m1_proc_" + i, "proc"));
        List<JsonNode> traversals = new ArrayList<>();
        List<JsonNode> edgeQueries = new ArrayList<>();
        try (ArangoStub stub = new ArangoStub("spider")) {
            stub.batch = 1000;
            stub.answer = (q, b) -> {
                if (q.contains("@@timestamps")) return List.of(ArangoStub.JSON.getNodeFactory().textNode(String.valueOf(SNAP)));
                if (q.contains("@ids")) {
                    edgeQueries.add(b);
                    return List.of();
                }
                traversals.add(ArangoStub.JSON.createObjectNode().put("query", q).set("bind", b));
                // the server honours LIMIT @limit when the query has one; without it, everything comes back
                int n = q.contains("LIMIT @limit") && b.has("limit") ? Math.min(b.path("limit").asInt(), bfs.size()) : bfs.size();
                List<JsonNode> rows = new ArrayList<>();
                for (int i = 0; i < n; i++) rows.add(ArangoStub.JSON.createObjectNode().set("v", bfs.get(i)));
                return rows;
            };
            try (ArangoTopology t = new ArangoTopology(new RcaConfig.Arango(stub.url(), "spider", "", "", Duration.ofSeconds(2), "http1"),
                    Duration.ofSeconds(120))) {
                Neighbourhood n = t.around("m1_sli_0", (SNAP + 1) * 1000, 3);
                assertEquals(max, n.entities().size());
                assertTrue(n.entities().keySet().containsAll(List.of("m1_sli_0", "m1_proc_0", "m1_host")), "the nearest are kept");
                assertEquals(1, traversals.size());
                assertTrue(traversals.get(0).path("query").asText().contains("UNSET(v, \"metrics\")"),
                        "vertices come without their metrics: " + traversals.get(0));
                assertEquals(1, edgeQueries.size());
                assertEquals(max, edgeQueries.get(0).path("ids").size());
                assertTrue(edgeQueries.get(0).path("limit").asLong() > 0, "the edges are bounded too: " + edgeQueries.get(0));
            }
        }
    }
}
