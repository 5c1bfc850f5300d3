package anteater.rca;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology file ({@code Rca.source: file}), read again when it changes: each lookup looks at the file's
 * modification time, size and file key (one stat; lookups are rare next to what each costs) and, when they differ from
 * those last read, loads it anew. A file that cannot be read or parsed then (half written, deleted, a typo) leaves
 * the previous topology in use, logged at most once a minute; the next change is tried again. At start the file
 * must load, as before.
 */
final class FileTopology implements Topology {
    private static final Logger LOG = LoggerFactory.getLogger(FileTopology.class);

    private final Path file;
    private final RateLimitedLog warnings = new RateLimitedLog(LOG, 60_000);
    private GraphTopology current;
    private String stamp;

    private FileTopology(Path file, GraphTopology first, String stamp) {
        this.file = file;
        this.current = first;
        this.stamp = stamp;
    }

    /** Loads the file; the message of a failure names the file and what is wrong. */
    static FileTopology open(Path file) throws IOException {
        String stamp = stampOf(file);
        return new FileTopology(file, GraphTopology.load(file), stamp);
    }

    private static String stampOf(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            // the file key (device, inode) too: a file moved over the old one may have its size and time
            return a.lastModifiedTime().toString() + "/" + a.size() + "/" + a.fileKey();
        } catch (IOException e) {
            return null; // missing or unreadable: a change too, when it was there before
        }
    }

    private synchronized GraphTopology refresh() {
        String now = stampOf(file);
        if (now == null) {
            if (stamp != null) {
                warnings.warn("missing", System.currentTimeMillis(), "rca: topology file " + file
                        + " cannot be read; keeping the topology read before (" + current.entities().size() + " entities)");
            }
            stamp = null;
            return current;
        }
        if (now.equals(stamp)) return current;
        stamp = now;
        try {
            current = GraphTopology.load(file);
            LOG.info("rca: topology file {} changed, read again: {} entities", file, current.entities().size());
        } catch (IOException e) {
            warnings.warn("bad", System.currentTimeMillis(), "rca: " + e.getMessage()
                    + "; keeping the topology read before (" + current.entities().size() + " entities)");
        }
        return current;
    }

    @Override
    public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
        return refresh().around(entityId, timeMs, depth);
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
