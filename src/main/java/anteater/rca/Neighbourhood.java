package anteater.rca;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A bounded piece of the topology around one entity (the centre), as read from one snapshot. */
public final class Neighbourhood {
    private final String center;
    private final long snapshotMs;
    private final Map<String, Entity> entities;
    private final List<Edge> edges;
    private final Map<String, List<Edge>> incident = new HashMap<>();

    public Neighbourhood(String center, long snapshotMs, Map<String, Entity> entities, List<Edge> edges) {
        this.center = center;
        this.snapshotMs = snapshotMs;
        this.entities = Collections.unmodifiableMap(new LinkedHashMap<>(entities));
        List<Edge> kept = new ArrayList<>();
        for (Edge e : edges) {
            if (!entities.containsKey(e.from()) || !entities.containsKey(e.to())) continue;
            kept.add(e);
            incident.computeIfAbsent(e.from(), k -> new ArrayList<>()).add(e);
            if (!e.from().equals(e.to())) incident.computeIfAbsent(e.to(), k -> new ArrayList<>()).add(e);
        }
        this.edges = Collections.unmodifiableList(kept);
        if (!entities.containsKey(center)) throw new IllegalArgumentException("centre " + center + " not in the neighbourhood");
    }

    public String center() { return center; }
    public long snapshotMs() { return snapshotMs; }
    public Map<String, Entity> entities() { return entities; }
    public List<Edge> edges() { return edges; }
    public Entity entity(String id) { return entities.get(id); }

    /** Edges touching {@code id}, either direction. */
    public List<Edge> incident(String id) {
        return incident.getOrDefault(id, List.of());
    }

    /** The other end of {@code e} seen from {@code id}. */
    public static String other(Edge e, String id) {
        return e.from().equals(id) ? e.to() : e.from();
    }
}
