package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** robustz and ttest warn at init, as knncad does, when maxGroups of their states could not fit in half the heap. */
class StateMemoryTest {
    static final long HEAP = 256L << 20;

    @Test
    void theDefaultsFitAndLargeHistoriesAreNamed() {
        // defaults: robustz zHistory 1000 (16 KB a field), ttest size 3600 (28 KB a field), 1000 groups
        assertNull(StateMemory.warning("robustz", 1000, 1, 8L * (2 * 1000 + 1), "zHistory", HEAP));
        assertNull(StateMemory.warning("ttest", 1000, 1, 8L * 3600, "size", HEAP));
        String w = StateMemory.warning("ttest", 1000, 2, 8L * 10_000_000, "size", HEAP);
        assertEquals("ttest: up to 1000 groups x 2 fields of 78125 KB each can take 152587 MB, more than half the heap "
                + "(256 MB); lower maxGroups or size or raise -Xmx", w);
    }

    @Test
    void initLogsTheWarning() throws Exception {
        // zHistory 1e6 is legal: 16 MB a field, 16 GB for 1000 groups; it was accepted without a word. The surefire
        // JVM's heap is a quarter of the machine's memory: 100,000 groups (1.6 TB, 8 TB) pass half of any heap, where
        // the default 1000 would not on a machine of 128 GB and the warning would rightly not come
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            RobustZDetector.create(Options.of("field", "v", "zHistory", 1_000_000L, "maxGroups", 100_000L));
            TTestDetector.create(Options.of("field", "v", "size", 10_000_000L, "maxGroups", 100_000L));
            RobustZDetector.create(Options.of("field", "v"));
        } finally {
            System.setErr(err);
        }
        String log = b.toString(StandardCharsets.UTF_8);
        assertTrue(log.contains("robustz: up to 100000 groups x 1 fields of 15625 KB each") && log.contains("lower maxGroups or zHistory"), log);
        assertTrue(log.contains("ttest: up to 100000 groups x 1 fields of 78125 KB each"), log);
        assertEquals(2, log.lines().filter(l -> l.contains("more than half the heap")).count(), "none at the defaults: " + log);
    }

    @Test
    void aDetectorCreatedAgainFromTheSameOptionsDoesNotWarnAgain() throws Exception {
        // a restore (and a reset after a snapshot of another configuration) creates the detector again from the
        // task's options: the operator review saw knncad's warning twice after every restore
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            Options task = Options.of("field", "v", "kTraining", 100_000L, "kDim", 10L, "maxGroups", 100_000L);
            KnnCadDetector.create(task); // init
            KnnCadDetector.create(task); // restore
            KnnCadDetector.create(Options.of("field", "v", "kTraining", 100_000L, "kDim", 10L, "maxGroups", 100_000L)); // another node
        } finally {
            System.setErr(err);
        }
        String log = b.toString(StandardCharsets.UTF_8);
        assertEquals(2, log.lines().filter(l -> l.contains("knncad: up to 100000 groups")).count(), log);
    }
}
