package anteater.rca;

/** Where the entity graph comes from (a JSON file, or gala-spider's ArangoDB). Called off the protocol thread. */
public interface Topology extends AutoCloseable {

    /**
     * The entities within {@code depth} hops (edges in either direction) of {@code entityId}, in the snapshot
     * valid at {@code timeMs}, with the edges between them.
     */
    Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException;

    /** A short name for logs, without secrets. */
    String describe();

    @Override
    default void close() {
    }
}
