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
}
