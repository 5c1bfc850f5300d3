package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** the state of a default t-test task with maxGroups (1000) groups must survive a snapshot and restore. */
class SnapshotFrameTest {
    @Test
    void defaultTtestStateOfMaxGroupsSurvivesSnapshotAndRestore() throws Exception {
        Udf.Request init = Frames.init("field", "value");
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(init);
        double[] v = new double[3600]; // default size 3600: one window fills a group's history
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(i);
        for (int g = 0; g < 1000; g++) reqs.addAll(Frames.window("cpu", Map.of("host", "h" + g), "value", 0, v));
        reqs.add(Frames.snapshot());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, new AnomalyHandler(),
                FrameReader.DEFAULT_MAX_FRAME, "t1").run();
        assertEquals(0, code);
        byte[] snap = Frames.decode(out.toByteArray()).stream().filter(Udf.Response::hasSnapshot).findFirst().orElseThrow()
                .getSnapshot().getSnapshot().toByteArray();
        System.err.println("snapshot bytes: " + snap.length + ", default max frame " + FrameReader.DEFAULT_MAX_FRAME);
        assertTrue(snap.length > 0, "the snapshot of 1000 groups was withheld: their state is lost at the next start");

        ByteArrayOutputStream out2 = new ByteArrayOutputStream();
        int code2 = new Agent(new ByteArrayInputStream(Frames.encode(List.of(init, Frames.restore(snap)))), out2,
                new AnomalyHandler(), FrameReader.DEFAULT_MAX_FRAME, "t2").run();
        List<Udf.Response> rs = Frames.decode(out2.toByteArray());
        assertEquals(0, code2, "agent exited on its own snapshot: " + rs);
        assertTrue(rs.stream().anyMatch(r -> r.hasRestore() && r.getRestore().getSuccess()), "restore succeeded");
    }

    /**
     * A restore may be a quarter of the heap (the restore frame limit): copied twice on its way to the detector (the
     * request's bytes into an array, the state out of that), it needed four times its size with the state loaded, and
     * a 61 MB snapshot that an agent at -Xmx256m had taken failed its restore there (OutOfMemoryError), at every start.
     * Decoding now reads the request's bytes in place. Measured on a snapshot of another detector, which is decoded
     * and checked but loads nothing: the restore allocates a small part of its size, not twice its size.
     */
    @Test
    void decodingARestoreDoesNotCopyTheSnapshot() throws Exception {
        Udf.Request init = Frames.init("field", "value", "maxGroups", 100L);
        AnomalyHandler a = new AnomalyHandler();
        assertTrue(a.init(init.getInit()).getSuccess());
        double[] v = new double[3600];
        for (int i = 0; i < v.length; i++) v[i] = Math.sin(i);
        for (int g = 0; g < 100; g++) {
            anteater.detect.Window w = new anteater.detect.Window("cpu", "h" + g, Map.of("host", "h" + g), false, v.length);
            for (int i = 0; i < v.length; i++) {
                w.notePoint(i * 1_000_000_000L);
                w.add("value", i * 1_000_000_000L, v[i]);
            }
            a.window(w, r -> { });
        }
        byte[] ttest = a.snapshot().getSnapshot().toByteArray();
        a.close();
        assertTrue(ttest.length > 2_500_000, "100 histories of 3600 values: " + ttest.length);
        Udf.RestoreRequest restore = Udf.RestoreRequest.newBuilder()
                .setSnapshot(com.google.protobuf.ByteString.copyFrom(SnapshotCodecTest.withDetector(ttest, "robustz"))).build();

        AnomalyHandler b = new AnomalyHandler();
        assertTrue(b.init(init.getInit()).getSuccess());
        long before = WindowMemoryTest.allocated();
        Udf.RestoreResponse r = b.restore(restore);
        long allocated = WindowMemoryTest.allocated() - before;
        b.close();
        assertTrue(r.getSuccess(), r.getError());
        long size = restore.getSnapshot().size();
        assertTrue(allocated < size / 4, "decoding a restore of " + size + " bytes allocated " + allocated + " bytes");
    }
}
