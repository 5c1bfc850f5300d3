package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphTopologyTest {
    @TempDir
    Path dir;

    static final String FILE = """
            {"entities": [
              {"id": "m1_host", "type": "host", "machine_id": "m1"},
              {"id": "m1_proc_42", "type": "proc", "machine_id": "m1", "tags": {"pid": "42", "comm": "nginx"}},
              {"id": "m1_sli_42", "type": "sli", "machine_id": "m1"},
              {"id": "m1_disk_sda", "type": "disk", "machine_id": "m1"},
              {"id": "m1_block_sda1", "type": "block", "machine_id": "m1"}],
             "edges": [
              {"from": "m1_proc_42", "to": "m1_host", "type": "runs_on"},
              {"from": "m1_sli_42", "to": "m1_proc_42", "type": "belongs_to"},
              {"from": "m1_disk_sda", "to": "m1_host", "relation": "belongs_to"},
              {"from": "m1_block_sda1", "to": "m1_disk_sda", "type": "belongs_to"}]}
            """;

    @Test
    void loadsAFileAndAnswersNeighbourhoodsBoundedByDepth() throws Exception {
        Path f = dir.resolve("topo.json");
        Files.writeString(f, FILE);
        GraphTopology t = GraphTopology.load(f);
        Neighbourhood n2 = t.around("m1_sli_42", 0, 2);
        assertEquals(Set.of("m1_sli_42", "m1_proc_42", "m1_host"), n2.entities().keySet());
        assertEquals(2, n2.edges().size());
        assertEquals("42", n2.entity("m1_proc_42").tags().get("pid"));
        Neighbourhood n4 = t.around("m1_sli_42", 0, 4);
        assertEquals(5, n4.entities().size());
        assertTrue(n4.edges().contains(new Edge("m1_disk_sda", "m1_host", "belongs_to")));
        TopologyException e = assertThrows(TopologyException.class, () -> t.around("m9_proc_1", 0, 2));
        assertEquals(TopologyException.Reason.ENTITY_MISSING, e.reason());
    }

    @Test
    void badFilesAreRefusedWithTheProblemNamed() throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"entities\": [{\"id\": \"a\"}]}");
        IOException e = assertThrows(IOException.class, () -> GraphTopology.load(f));
        assertTrue(e.getMessage().contains("has no 'type'") && e.getMessage().contains("bad.json"), e.getMessage());
        Files.writeString(f, "{\"entities\": [{\"id\": \"a\", \"type\": \"host\"}], \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"type\": \"x\"}]}");
        e = assertThrows(IOException.class, () -> GraphTopology.load(f));
        assertTrue(e.getMessage().contains("not both listed"), e.getMessage());
        Files.writeString(f, "not json");
        e = assertThrows(IOException.class, () -> GraphTopology.load(f));
        assertTrue(e.getMessage().contains("not readable JSON"), e.getMessage());
    }

    @Test
    void aBadFileIsOneLineNamingTheFileAndTheLine() throws Exception {
        // before: a syntax error's message carried Jackson's location on a second line (a separate, orphaned line in
        // Kapacitor's log) behind "Source: REDACTED (...)", and a missing key named only entities[i]
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"entities\": [\n {\"id\": \"a\", \"type\": \"proc\"},\n {\"id\": \"b\" \"type\": \"host\"}\n]}\n");
        String m = assertThrows(IOException.class, () -> GraphTopology.load(f)).getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.startsWith("topology file " + f + ", line 3, column 13: not readable JSON: "), m);
        assertTrue(!m.contains("REDACTED") && !m.contains("Source"), m);
        Files.writeString(f, "{\"entities\": [\n {\"id\": \"a\", \"type\": \"proc\"}\n");
        m = assertThrows(IOException.class, () -> GraphTopology.load(f)).getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.contains(", line 3, column 1: ") && !m.contains("REDACTED"), m);
        Files.writeString(f, "{\"entities\": [\n {\"id\": \"a\", \"type\": \"proc\"},\n\n {\"id\": \"b\"}\n]}\n");
        m = assertThrows(IOException.class, () -> GraphTopology.load(f)).getMessage();
        assertEquals("topology file " + f + ", line 4: entities[1] (b) has no 'type'", m);
        Files.writeString(f, "{\"edges\": [{\"from\": \"a\", \"to\": \"a\", \"type\": \"x\"},\n {\"from\": \"a\"}],\n"
                + " \"entities\": [{\"id\": \"a\", \"type\": \"proc\"}]}");
        m = assertThrows(IOException.class, () -> GraphTopology.load(f)).getMessage();
        assertTrue(m.startsWith("topology file " + f + ", line 2: edges[1] needs"), m);
    }
}
