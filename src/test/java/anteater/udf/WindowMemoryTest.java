package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** memory of one batch on the read loop. */
class WindowMemoryTest {
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A batch of 3,000 points whose fields are sparse (each point carries its own field): 3,000 values in all. */
    @Test
    void sparseFieldsDoNotAllocateTheBatchSizeForEachField() throws Exception {
        int n = 3000;
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "f0"));
        reqs.add(Frames.begin("m", Map.of("host", "a"), n));
        for (int i = 0; i < n; i++) reqs.add(Frames.point(i * 1_000_000_000L, Map.of("host", "a"), Map.of("f" + i, 1.0), Map.of()));
        reqs.add(Frames.end("m", Map.of("host", "a"), n * 1_000_000_000L));
        byte[] in = Frames.encode(reqs);
        long before = allocated();
        int code = new Agent(new ByteArrayInputStream(in), new ByteArrayOutputStream(), new AnomalyHandler(), 1 << 20, "t").run();
        long bytes = allocated() - before;
        System.err.println("batch of " + n + " values (" + in.length + " bytes of frames): read loop allocated " + bytes / 1_000_000 + " MB, exit " + code);
        assertTrue(bytes < 20_000_000L, "allocated " + bytes + " bytes for " + n + " values");
    }

    /**
     * BeginBatch.size is a hint from the peer: a batch that claims 2^20 points and brings 3 must not allocate columns
     * for 2^20 (16 MB a window, while the queue's budget counts the 3 values: windows queued behind a slow detector
     * ran the heap out long before the budget bound).
     */
    @Test
    void aBatchThatOverstatesItsSizeDoesNotAllocateIt() throws Exception {
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "x"));
        for (int w = 0; w < 4; w++) {
            reqs.add(Frames.begin("m", Map.of("host", "a"), 1 << 20));
            for (int i = 0; i < 3; i++) reqs.add(Frames.point(i * 1_000_000_000L, Map.of("host", "a"), Map.of("x", 1.0), Map.of()));
            reqs.add(Frames.end("m", Map.of("host", "a"), 3_000_000_000L));
        }
        byte[] in = Frames.encode(reqs);
        long before = allocated();
        int code = new Agent(new ByteArrayInputStream(in), new ByteArrayOutputStream(), new AnomalyHandler(), 1 << 20, "t").run();
        long bytes = allocated() - before;
        assertTrue(code == 0, "exit " + code);
        assertTrue(bytes < 8_000_000L, "the read loop allocated " + bytes + " bytes for 4 windows of 3 values");
    }

    /**
     * Each distinct field of a batch is a column of its own (arrays, a map entry, its name: some 300 bytes before its
     * first value), which the batch limit did not count: 100,000 points of a field each, 100,000 values where the
     * limit is 1 M (as for a small heap; about 4 M at -Xmx256m), were accepted and took 364 MB on the read loop. A column
     * now counts as 24 values, so such a batch gets the ErrorResponse that names the limit, not the heap's end.
     */
    @Test
    void aBatchOfManyDistinctFieldsCountsTheirColumns() throws Exception {
        int n = 100_000;
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("field", "f0"));
        reqs.add(Frames.begin("m", Map.of("host", "a"), n));
        for (int i = 0; i < n; i++) reqs.add(Frames.point(i, Map.of("host", "a"), Map.of("f" + i, 1.0), Map.of()));
        reqs.add(Frames.end("m", Map.of("host", "a"), n));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long before = allocated();
        int code = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, new AnomalyHandler(), 1 << 20, "t", 1 << 20).run();
        long bytes = allocated() - before;
        List<Udf.Response> r = Frames.decode(out.toByteArray());
        assertTrue(code == 1 && r.get(r.size() - 1).hasError(), "exit " + code + ", allocated " + bytes / 1_000_000 + " MB");
        String m = r.get(r.size() - 1).getError().getError();
        assertTrue(m.contains("1048576") && m.contains("fields"), m);
    }
}
