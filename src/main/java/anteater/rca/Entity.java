package anteater.rca;

import java.util.Map;

/**
 * One observed entity of the topology (a gala-spider vertex).
 *
 * @param id        gala entity_id (the vertex {@code _key})
 * @param type      entity type: host, container, proc, thread, tcp_link, sli, disk, block, nic, cpu, ...
 * @param machineId machine the entity is on (may be empty)
 * @param tags      the entity's key and label attributes
 */
public record Entity(String id, String type, String machineId, Map<String, String> tags) {
    public Entity {
        if (id == null || id.isEmpty()) throw new IllegalArgumentException("entity id is empty");
        type = type == null ? "" : type;
        machineId = machineId == null ? "" : machineId;
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
