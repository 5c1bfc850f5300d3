package anteater.rca;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * Reads a topology file; the message of a failure is one line naming the file, the line (and for a syntax error
     * the column) and what is wrong.
     */
    public static GraphTopology load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            // Jackson's own message puts the location on a second line, behind a redacted source name
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
            String what = String.valueOf(e.getOriginalMessage()).replaceAll("\\[Source: [^\\]]*; (line: \\d+, column: \\d+)\\]", "$1")
                    .lines().findFirst().orElse("");
            throw new IOException("topology file " + file + where + ": not readable JSON: " + what, e);
        } catch (IOException e) {
            throw new IOException("topology file " + file + ": not readable: " + e.getMessage(), e);
        }
        try {
            return parse(root, "file " + file);
        } catch (IllegalArgumentException e) {
            String where = "";
            if (e instanceof ElementException x) {
                int line = lineOf(file, x.array, x.index);
                if (line > 0) where = ", line " + line;
            }
            throw new IOException("topology file " + file + where + ": " + e.getMessage(), e);
        }
    }

    /** A fault in one element of the file's 'entities' or 'edges' array, so that its line can be told. */
    static final class ElementException extends IllegalArgumentException {
        final String array;
        final int index;

        ElementException(String array, int index, String message) {
            super(message);
            this.array = array;
            this.index = index;
        }
    }

    /** The line where element {@code index} of the top-level array {@code array} begins, or -1. */
    static int lineOf(Path file, String array, int index) {
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) return -1;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals(array) && t == JsonToken.START_ARRAY) {
                    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                        if (i == index) return p.currentTokenLocation().getLineNr();
                        p.skipChildren();
                    }
                    return -1;
                }
                p.skipChildren();
            }
        } catch (IOException e) {
            // the file changed under us: no line then
        }
        return -1;
    }

    public static GraphTopology parse(JsonNode root, String name) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("expected an object with 'entities' and 'edges'");
        JsonNode ents = root.path("entities");
        if (!ents.isArray()) throw new IllegalArgumentException("'entities' must be an array of {id, type, machine_id, tags}");
        Map<String, Entity> entities = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode n : ents) {
            String id = n.path("id").asText("");
            if (id.isEmpty()) throw new ElementException("entities", i, "entities[" + i + "] has no 'id'");
            String type = n.path("type").asText("");
            if (type.isEmpty()) throw new ElementException("entities", i, "entities[" + i + "] (" + id + ") has no 'type'");
            Map<String, String> tags = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.path("tags").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                tags.put(f.getKey(), f.getValue().asText());
            }
            if (entities.put(id, new Entity(id, type, n.path("machine_id").asText(""), tags)) != null) {
                throw new ElementException("entities", i, "entities[" + i + "]: entity id " + id + " is listed twice");
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
                throw new ElementException("edges", i, "edges[" + i + "] needs 'from', 'to' and 'type' (the relation, e.g. runs_on)");
            }
            if (!entities.containsKey(from) || !entities.containsKey(to)) {
                throw new ElementException("edges", i, "edges[" + i + "] joins " + from + " and " + to + ", not both listed in 'entities'");
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
