package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream task without {@code .groupBy()} over two hosts whose timestamps do not coincide (clocks apart, sub-second
 * precision): Kapacitor's window keeps each point's own tags, so the points of the one group say host=a and host=b,
 * but no two values share a time and nothing was said while every detector judged one series jumping between hosts.
 * The agent now names the tag, its values and the .groupBy() to add.
 */
class MixedTagsLogTest {
    static final long SEC = 1_000_000_000L;

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    /** Windows of 20 s from {@code hosts} hosts, host k's points 0.3 k s after the second, in time order. */
    static List<Udf.Request> windows(int count, String... hosts) {
        List<Udf.Request> l = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            l.add(Udf.Request.newBuilder().setBegin(Udf.BeginBatch.newBuilder().setName("cpu").setGroup("")
                    .setSize(20L * hosts.length)).build());
            for (int i = 0; i < 20; i++) {
                for (int h = 0; h < hosts.length; h++) {
                    long t = (k * 20L + i) * SEC + h * 300_000_000L;
                    l.add(Udf.Request.newBuilder().setPoint(Udf.Point.newBuilder().setTime(t).setGroup("")
                            .putTags("host", hosts[h]).putTags("cpu", "cpu-total")
                            .putFieldsDouble("usage_user", 10.0 + 40 * h + (i % 3))).build());
                }
            }
            l.add(Udf.Request.newBuilder().setEnd(Udf.EndBatch.newBuilder().setName("cpu").setGroup("")
                    .setTmax((k * 20L + 20) * SEC)).build());
        }
        return l;
    }

    static String run(Path dir, List<Udf.Request> data) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        List<Udf.Request> reqs = new ArrayList<>();
        reqs.add(Frames.init("detector", "robustz", "field", "usage_user"));
        reqs.addAll(data);
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = new Agent(new ByteArrayInputStream(Frames.encode(reqs)), out, new AnomalyHandler(), 1 << 20, "test").run();
            assertEquals(0, code);
            List<Udf.Response> rs = Frames.decode(out.toByteArray());
            assertTrue(rs.get(0).getInit().getSuccess(), rs.get(0).getInit().getError());
        } finally {
            System.setErr(err);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void twoHostsAtDifferentTimesInOneGroupNameTheTag(@TempDir Path dir) throws Exception {
        String log = run(dir, windows(5, "web-1", "web-2"));
        assertTrue(log.contains("group (no group-by) of cpu: its points carry different values of tag host: 'web-1', 'web-2'"), log);
        assertTrue(log.contains("add .groupBy('host')"), log);
        assertEquals(log.indexOf("different values of tag"), log.lastIndexOf("different values of tag"), "once: " + log);
        assertFalse(log.contains("share their time"), "one warning per group: " + log);
    }

    @Test
    void oneHostSaysNothing(@TempDir Path dir) throws Exception {
        String log = run(dir, windows(5, "web-1"));
        assertFalse(log.contains("different values of tag"), log);
    }

    @Test
    void aGroupsFirstWindowsAreWatchedThenTheFastPathTakesOver() {
        SeriesTags t = new SeriesTags();
        for (int i = 0; i < SeriesTags.WINDOWS; i++) {
            assertTrue(t.begin("g"), "window " + i);
            t.end("g", new anteater.detect.Window("cpu", "g", Map.of(), false, 0));
        }
        assertFalse(t.begin("g"));
        assertTrue(t.begin("h"), "another group is watched");
        for (int i = SeriesTags.WINDOWS + 1; i < SeriesTags.RECHECK; i++) assertFalse(t.begin("g"), "window " + i);
        assertTrue(t.begin("g"), "one window in " + SeriesTags.RECHECK + " is watched again");
        t.end("g", new anteater.detect.Window("cpu", "g", Map.of(), false, 0));
        assertFalse(t.begin("g"));
    }

    @Test
    void aHostJoiningLaterIsSeenAtTheNextRecheck(@TempDir Path dir) throws Exception {
        // one host for the first windows, then a second machine starts sending to the task without .groupBy()
        List<Udf.Request> data = windows(SeriesTags.WINDOWS + 5, "web-1");
        data.addAll(windows(SeriesTags.RECHECK, "web-1", "web-2"));
        String log = run(dir, data);
        assertTrue(log.contains("its points carry different values of tag host: 'web-1', 'web-2'"), log);
        assertEquals(log.indexOf("different values of tag"), log.lastIndexOf("different values of tag"), "once: " + log);
    }

    @Test
    void theDifferenceNamesTheFirstTagAndCountsTheOthers() {
        assertEquals("dc: 'x', 'y' (and 1 other tag)",
                SeriesTags.describe(Map.of("host", "a", "dc", "x"), Map.of("host", "b", "dc", "y")));
        assertEquals("cpu: 'cpu0', (none)", SeriesTags.describe(Map.of("cpu", "cpu0"), Map.of()));
    }
}
