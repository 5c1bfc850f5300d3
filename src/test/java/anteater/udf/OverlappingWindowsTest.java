package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Window;
import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .window().period(60s).every(10s)} hands the agent each point six times. knncad, robustz, entropy and the VAE
 * judged (and learnt) it six times, in a sequence that jumps 50 s back at every window: patterns, histories and lagged
 * steps made of repeated stretches. Now each value is judged once, in the first window that holds it, so overlapping
 * windows give exactly the verdicts of the windows of 10 s that cover the same points.
 */
class OverlappingWindowsTest {
    static final long S = 1_000_000_000L;

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    static double value(int t) {
        // periodic with a spike at 500 s: something for every detector to score
        return 50 + 10 * Math.sin(2 * Math.PI * t / 37.0) + (t % 7) + (t == 500 ? 400 : 0);
    }

    /** The window ending at {@code end} s of {@code period} s (points at 1 s from 0). */
    static Window window(int end, int period) {
        Window w = new Window("temperatures", "printer=p1", Map.of("printer", "p1"), false, period);
        for (int t = Math.max(0, end - period); t < end; t++) {
            w.notePoint(t * S);
            w.add("hotend", t * S, value(t));
        }
        w.end("temperatures", "printer=p1", Map.of("printer", "p1"), false, end * S);
        return w;
    }

    static List<Udf.Point> run(Udf.InitRequest init, int period) {
        AnomalyHandler h = new AnomalyHandler();
        List<Udf.Point> points = new ArrayList<>();
        try {
            Udf.InitResponse r = h.init(init);
            assertTrue(r.getSuccess(), r.getError());
            for (int end = 10; end <= 1200; end += 10) h.window(window(end, period), x -> points.add(x.getPoint()));
        } finally {
            h.close();
        }
        return points;
    }

    static Udf.InitRequest init(String detector, Map<String, Long> ints) {
        Udf.InitRequest.Builder b = MissingFieldLogTest.init(detector, "hotend").toBuilder();
        ints.forEach((k, v) -> b.addOptions(Udf.Option.newBuilder().setName(k).addValues(Udf.OptionValue.newBuilder().setIntValue(v))));
        return b.build();
    }

    @Test
    void overlappingWindowsJudgeEachValueOnce(@TempDir Path dir) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        Map<String, Map<String, Long>> detectors = Map.of(
                "robustz", Map.of("zHistory", 100L),
                "knncad", Map.of("kTraining", 100L, "kDim", 5L, "kNeighbours", 5L),
                "entropy", Map.of("eWindow", 20L, "eCalibration", 100L),
                "vae", Map.of("warmup", 1000L)); // warming up all along: no background training, outputs fixed
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> d : new java.util.TreeMap<>(detectors).entrySet()) {
            Udf.InitRequest init = init(d.getKey(), d.getValue());
            List<Udf.Point> whole = run(init, 10);
            List<Udf.Point> overlapping = run(init, 60);
            assertTrue(whole.size() > 50, d.getKey() + ": " + whole.size() + " points");
            if (!whole.equals(overlapping)) differ.add(d.getKey());
        }
        assertEquals(List.of(), differ, "windows of 60 s every 10 s give other verdicts than windows of 10 s");
    }

    @Test
    void theTTestStillTestsWholeWindowsAndAddsEachValueToItsHistoryOnce(@TempDir Path dir) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        List<Udf.Point> overlapping = run(init("ttest", Map.of("size", 100_000L)), 60);
        Udf.Point last = overlapping.get(overlapping.size() - 1);
        assertEquals(60, last.getFieldsIntOrThrow("window_count"), "a window of 60 s is one sample of 60 values");
        // values 0..1189 s are before the last window; those of the windows judged anomalous (around the spike at
        // 500 s) stay out. Before, each normal window added all its 60 values: about 6 x 1190
        long history = last.getFieldsIntOrThrow("history_count");
        assertTrue(history <= 1190 && history >= 1000, "history of " + history + " values");
    }

    @Test
    void aWindowOfValuesAllJudgedBeforeGivesNoVerdict(@TempDir Path dir) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        AnomalyHandler h = new AnomalyHandler();
        List<Udf.Point> points = new ArrayList<>();
        try {
            assertTrue(h.init(init("vae", Map.of("warmup", 1000L))).getSuccess());
            h.window(window(60, 60), x -> points.add(x.getPoint()));
            assertEquals(1, points.size());
            assertEquals(60, points.get(0).getFieldsIntOrThrow("total_count"));
            // the source paused: the next window Kapacitor emits holds only points of the last one (a VAE judged it
            // as one made-up, forward-filled step)
            Window again = window(60, 50);
            h.window(again, x -> points.add(x.getPoint()));
            assertEquals(1, points.size(), points.toString());
        } finally {
            h.close();
        }
    }
}
