package anteater.rca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed topology held in memory: read from a JSON file (the embedded default source) or built in code
 * (the RCA scenario generator). The same graph answers for every event time.
 *
 * <p>File format:
 * <pre>{"entities": [{"id": "m1_proc_42", "type": "proc", "machine_id": "m1", "tags": {"pid": "42"}}, ...],
 *  "edges": [{"from": "m1_proc_42", "to": "m1_host", "type": "runs_on"}, ...]}</pre>
 */
public final class GraphTopology implements Topology {
    private final Map<String, Entity> entities;
    private final Map<String, List<Edge>> incident = new HashMap<>();
    private final String name;

    public GraphTopology(Map<String, Entity> entities, List<Edge> edges, String name) {
        this.entities = new LinkedHashMap<>(entities);
        this.name = name;
        for (Edge e : edges) {
            if (!entities.containsKey(e.from()) || !entities.containsKey(e.to())) {
                throw new IllegalArgumentException("edge " + e + " names an entity that is not listed");
            }
            incident.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
            if (!e.from().equals(e.to())) incident.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
    }

    /** Reads a topology file; the message of a failure names the file and what is wrong. */
    public static GraphTopology load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("topology file " + file + ": not readable JSON: " + e.getMessage(), e);
        }
        try {
            return parse(root, "file " + file);
        } catch (IllegalArgumentException e) {
            throw new IOException("topology file " + file + ": " + e.getMessage(), e);
        }
    }

    public static GraphTopology parse(JsonNode root, String name) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("expected an object with 'entities' and 'edges'");
        JsonNode ents = root.path("entities");
        if (!ents.isArray()) throw new IllegalArgumentException("'entities' must be an array of {id, type, machine_id, tags}");
        Map<String, Entity> entities = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode n : ents) {
            String id = n.path("id").asText("");
            if (id.isEmpty()) throw new IllegalArgumentException("entities[" + i + "] has no 'id'");
            String type = n.path("type").asText("");
            if (type.isEmpty()) throw new IllegalArgumentException("entities[" + i + "] (" + id + ") has no 'type'");
            Map<String, String> tags = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("tags").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                tags.put(f.getKey(), f.getValue().asText());
            }
            if (entities.put(id, new Entity(id, type, n.path("machine_id").asText(""), tags)) != null) {
                throw new IllegalArgumentException("entity id " + id + " is listed twice");
            }
            i++;
        }
        List<Edge> edges = new ArrayList<>();
        JsonNode es = root.path("edges");
        if (!es.isMissingNode() && !es.isArray()) throw new IllegalArgumentException("'edges' must be an array of {from, to, type}");
        i = 0;
        for (JsonNode n : es) {
            String from = n.path("from").asText("");
            String to = n.path("to").asText("");
            String rel = n.hasNonNull("type") ? n.path("type").asText("") : n.path("relation").asText("");
            if (from.isEmpty() || to.isEmpty() || rel.isEmpty()) {
                throw new IllegalArgumentException("edges[" + i + "] needs 'from', 'to' and 'type' (the relation, e.g. runs_on)");
            }
            if (!entities.containsKey(from) || !entities.containsKey(to)) {
                throw new IllegalArgumentException("edges[" + i + "] joins " + from + " and " + to + ", not both listed in 'entities'");
            }
            edges.add(new Edge(from, to, rel));
            i++;
        }
        return new GraphTopology(entities, edges, name);
    }

    @Override
    public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
        if (!entities.containsKey(entityId)) {
            throw new TopologyException(TopologyException.Reason.ENTITY_MISSING, "entity " + entityId + " is not in the topology " + name);
        }
        Map<String, Integer> dist = new LinkedHashMap<>();
        dist.put(entityId, 0);
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(entityId);
        List<Edge> edges = new ArrayList<>();
        while (!queue.isEmpty()) {
            String id = queue.poll();
            int d = dist.get(id);
            if (d >= depth) continue;
            for (Edge e : incident.getOrDefault(id, List.of())) {
                String o = Neighbourhood.other(e, id);
                if (!dist.containsKey(o)) {
                    dist.put(o, d + 1);
                    queue.add(o);
                }
            }
        }
        Map<String, Entity> sub = new LinkedHashMap<>();
        for (String id : dist.keySet()) sub.put(id, entities.get(id));
        for (String id : dist.keySet()) {
            for (Edge e : incident.getOrDefault(id, List.of())) {
                if (e.from().equals(id) && sub.containsKey(e.to())) edges.add(e);
            }
        }
        return new Neighbourhood(entityId, timeMs, sub, edges);
    }

    public Map<String, Entity> entities() {
        return java.util.Collections.unmodifiableMap(entities);
    }

    @Override
    public String describe() {
        return name;
    }
}
