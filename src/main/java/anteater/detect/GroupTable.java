package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-group state with a bound: at most {@code maxGroups} groups, the least recently seen dropped first, so a
 * group that goes quiet cannot hold memory forever. Iteration order (and so snapshots) is deterministic.
 */
public final class GroupTable<S> {
    private static final Logger LOG = LoggerFactory.getLogger(GroupTable.class);

    /** Writes one group's state. */
    public interface Writer<S> {
        void write(DataOutputStream out, S state) throws IOException;
    }

    /** Reads one group's state. */
    public interface Reader<S> {
        S read(DataInputStream in) throws IOException;
    }

    private final int maxGroups;
    private final String owner;
    private long evicted;
    private final LinkedHashMap<String, S> map;
    private final java.util.function.Consumer<S> onDrop;

    public GroupTable(int maxGroups, String owner) {
        this(maxGroups, owner, s -> { });
    }

    /** {@code onDrop} is told of each group dropped for the bound (to stop work the group has in flight). */
    public GroupTable(int maxGroups, String owner, java.util.function.Consumer<S> onDrop) {
        this.onDrop = onDrop;
        this.maxGroups = maxGroups;
        this.owner = owner;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, S> eldest) {
                if (size() > GroupTable.this.maxGroups) {
                    evicted++;
                    if (Long.bitCount(evicted) == 1) {
                        LOG.warn("{}: more than {} groups, dropped the least recently seen ({} so far)", owner,
                                GroupTable.this.maxGroups, evicted);
                    }
                    onDrop.accept(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    public S getOrCreate(String key, Function<String, S> make) {
        return map.computeIfAbsent(key, make);
    }

    public S get(String key) {
        return map.get(key);
    }

    public int size() {
        return map.size();
    }

    public long evicted() {
        return evicted;
    }

    public Iterable<Map.Entry<String, S>> entries() {
        return map.entrySet();
    }

    public void save(DataOutputStream out, Writer<S> w) throws IOException {
        out.writeInt(map.size());
        // iterating an access-ordered map does not reorder it
        for (Map.Entry<String, S> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            w.write(out, e.getValue());
        }
    }

    public void load(DataInputStream in, Reader<S> r) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000_000) throw new IOException("bad group count " + n);
        map.clear();
        for (int i = 0; i < n; i++) {
            String key = in.readUTF();
            map.put(key, r.read(in));
        }
    }
}
