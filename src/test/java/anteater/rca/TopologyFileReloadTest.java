package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology file is read again when it changes. Before, it was read once when the engine started (the first
 * task init of the JVM) and never again: entity ids carry pids (m1_proc_42), so after a process restart its KPI
 * events were ENTITY_MISSING until the agent was restarted.
 */
class TopologyFileReloadTest {
    @TempDir
    Path dir;

    static final String V2 = GraphTopologyTest.FILE.replace("\"m1_sli_42\"", "\"m1_sli_43\"");

    /** Writes the text and moves the file's time on, so that a coarse clock cannot hide the change. */
    static void write(Path f, String text, int step) throws Exception {
        Files.writeString(f, text);
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_700_000_000_000L + step * 10_000L));
    }

    @Test
    void aChangedFileIsReadAgainAndABrokenOneKeepsThePrevious() throws Exception {
        Path f = dir.resolve("topology.json");
        write(f, GraphTopologyTest.FILE, 0);
        RcaConfig cfg = RcaConfig.from(new ObjectMapper(new YAMLFactory()).readTree(
                "Rca: {enabled: true, file: '" + f + "'}"));
        try (Topology t = RcaEngine.openTopology(cfg)) {
            assertEquals(Set.of("m1_sli_42", "m1_proc_42"), t.around("m1_sli_42", 0, 1).entities().keySet());

            write(f, V2, 1); // the process's sli got a new id
            assertEquals(Set.of("m1_sli_43", "m1_proc_42"), t.around("m1_sli_43", 0, 1).entities().keySet());
            TopologyException gone = assertThrows(TopologyException.class, () -> t.around("m1_sli_42", 0, 1));
            assertEquals(TopologyException.Reason.ENTITY_MISSING, gone.reason());

            write(f, V2.substring(0, V2.length() / 2), 2); // half written, or a typo: the last good one stays
            assertEquals(Set.of("m1_sli_43", "m1_proc_42"), t.around("m1_sli_43", 0, 1).entities().keySet());
            Files.delete(f);
            assertEquals(Set.of("m1_sli_43", "m1_proc_42"), t.around("m1_sli_43", 0, 1).entities().keySet());

            write(f, GraphTopologyTest.FILE, 3); // fixed: read again
            assertEquals(Set.of("m1_sli_42", "m1_proc_42"), t.around("m1_sli_42", 0, 1).entities().keySet());
        }
    }

    @Test
    void aFileReplacedByOneOfTheSameSizeAndTimeIsReadAgain() throws Exception {
        // a new pid of as many digits keeps the size, and a copy that keeps times (cp -p, rsync -t, install -p) or a
        // coarse file-system clock keeps the time: the file written aside and moved over the old one is another file
        Path f = dir.resolve("topology.json");
        write(f, GraphTopologyTest.FILE, 0);
        RcaConfig cfg = RcaConfig.from(new ObjectMapper(new YAMLFactory()).readTree(
                "Rca: {enabled: true, file: '" + f + "'}"));
        try (Topology t = RcaEngine.openTopology(cfg)) {
            assertEquals(Set.of("m1_sli_42", "m1_proc_42"), t.around("m1_sli_42", 0, 1).entities().keySet());
            Path next = dir.resolve("topology.json.new");
            write(next, V2, 0);
            assertEquals(Files.size(f), Files.size(next));
            Files.move(next, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            assertEquals(Set.of("m1_sli_43", "m1_proc_42"), t.around("m1_sli_43", 0, 1).entities().keySet());
        }
    }
}
