package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A user whose data do not fit the model learns it from the log: a window none of whose fields is among the
 * model's metrics gets one line per group naming both sides (before: a line per unknown field, none naming what
 * the model expects), and options lags or clip that the model overrides are said to be ignored (before: silently).
 */
class ModelMismatchLogTest {

    static String stderrOf(ThrowingRunnable r) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(err);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void noMatchingFieldAndOverriddenOptionsAreLogged() throws Exception {
        VaeModel m = VaeTrainer.train(Synthetic.rows(400, 3), Synthetic.METRICS, Synthetic.smallConfig(), VaeTrainer.SILENT);
        assertEquals(1, m.lags());
        Options o = Options.of("detector", "vae", "updateInterval", 0L, "lags", 5L, "clip", 2.0);
        VaeDetector[] d = new VaeDetector[1];
        String init = stderrOf(() -> d[0] = VaeDetector.create(o, m));
        assertTrue(init.contains("option 'lags' 5 is ignored") && init.contains("trained with lags 1"), init);
        assertTrue(init.contains("option 'clip' 2.0 is ignored"), init);
        assertTrue(init.contains("vae: model with 6 metrics (cpu, load, net_in, net_out, disk, ...), threshold "), init);

        List<Verdict> out = new ArrayList<>();
        String run = stderrOf(() -> {
            for (int k = 0; k < 3; k++) {
                Window w = new Window("node", "", Map.of("host", "a"), false, 4);
                for (int i = 0; i < 4; i++) {
                    long t = (k * 4 + i) * Synthetic.STEP;
                    w.notePoint(t);
                    w.add("usage_user", t, 1.0 + i);
                    w.add("usage_system", t, 2.0);
                }
                w.end("node", "", Map.of("host", "a"), false, (k * 4 + 3) * Synthetic.STEP);
                d[0].process(w, out);
            }
        });
        String line = "none of the window's 2 fields (usage_user, usage_system) is among the model's 6 metrics"
                + " (cpu, load, net_in, net_out, disk, ...)";
        assertTrue(run.contains(line), run);
        assertEquals(run.indexOf(line), run.lastIndexOf(line), "logged once per group: " + run);
        assertFalse(run.contains("is not among the model's metrics"), "no line per field besides: " + run);
        assertEquals(3, out.size());
        assertEquals(24L, out.get(0).fields().get("imputed"));
        d[0].close();
    }

    /** Windows of 4 steps holding the given metrics (values from the synthetic rows). */
    private static Window window(int k, double[][] x, List<String> metrics) {
        Window w = new Window("node", "", Map.of("host", "a"), false, 4);
        for (int i = 0; i < 4; i++) {
            long t = (k * 4 + i) * Synthetic.STEP;
            w.notePoint(t);
            for (String metric : metrics) w.add(metric, t, x[k * 4 + i][Synthetic.METRICS.indexOf(metric)]);
        }
        w.end("node", "", Map.of("host", "a"), false, (k * 4 + 3) * Synthetic.STEP);
        return w;
    }

    @Test
    void aMetricThatStopsReportingIsCountedAndSaidOnce() throws Exception {
        // before: its last value stood in for ever, imputed stayed 0 and nothing was logged
        VaeModel m = VaeTrainer.train(Synthetic.rows(400, 3), Synthetic.METRICS, Synthetic.smallConfig(), VaeTrainer.SILENT);
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 0L), m);
        double[][] x = Synthetic.rows(40, 9);
        List<String> without = Synthetic.METRICS.subList(0, 5); // "mem" stops
        List<Verdict> out = new ArrayList<>();
        String run = stderrOf(() -> {
            d.process(window(0, x, Synthetic.METRICS), out);
            for (int k = 1; k < 4; k++) d.process(window(k, x, without), out);
            d.process(window(4, x, Synthetic.METRICS), out);
        });
        assertEquals(5, out.size());
        assertEquals(0L, out.get(0).fields().get("imputed"));
        for (int k = 1; k < 4; k++) assertEquals(4L, out.get(k).fields().get("imputed"), "window " + k);
        assertEquals(0L, out.get(4).fields().get("imputed"), "reporting again");
        String line = "metric 'mem' has no value in this window; its last value";
        assertTrue(run.contains(line), run);
        assertEquals(run.indexOf(line), run.lastIndexOf(line), "logged once per group and metric: " + run);
        d.close();
    }

    @Test
    void measurementsMissingFromTheWindowAreOneLineThatNamesTheJoin() throws Exception {
        // seen with kapacitord: a model of cpu, mem and disk (train on a Telegraf export) used by a task over cpu alone
        // logged a line per group and metric (4 per host), none saying that mem and disk need the join of docs/vae.md
        List<String> ids = List.of("cpu.usage_user", "cpu.usage_system", "mem.used_percent", "mem.available",
                "disk.used_percent", "disk.free");
        VaeModel m = VaeTrainer.train(Synthetic.rows(400, 3), ids, Synthetic.smallConfig(), VaeTrainer.SILENT);
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "updateInterval", 0L), m);
        double[][] x = Synthetic.rows(40, 9);
        List<Verdict> out = new ArrayList<>();
        String run = stderrOf(() -> {
            for (int k = 0; k < 3; k++) {
                Window w = new Window("cpu", "", Map.of("host", "a"), false, 4);
                for (int i = 0; i < 4; i++) {
                    long t = (k * 4 + i) * Synthetic.STEP;
                    w.notePoint(t);
                    w.add("usage_user", t, x[k * 4 + i][0]);
                    w.add("usage_system", t, x[k * 4 + i][1]);
                }
                w.end("cpu", "", Map.of("host", "a"), false, (k * 4 + 4) * Synthetic.STEP);
                d.process(w, out);
            }
        });
        String line = "4 of the model's 6 metrics have no value in this window (mem.used_percent,"
                + " mem.available, disk.used_percent, disk.free): the window has no field of measurements mem, disk, which"
                + " the model was trained on; a task of several measurements joins them (docs/vae.md)";
        assertTrue(run.contains(line), run);
        assertEquals(run.indexOf(line), run.lastIndexOf(line), "logged once per group: " + run);
        assertFalse(run.contains("metric 'mem.available' has no value"), "no line per metric besides: " + run);
        assertEquals(16L, out.get(0).fields().get("imputed"));
        d.close();
    }

    /** Dotted field names of one measurement (statsd's requests.count) are not measurements to join. */
    @Test
    void dottedFieldsOfOneMeasurementAreNotTakenForMeasurements() {
        Window w = new Window("statsd", "", Map.of(), false, 1);
        w.notePoint(0);
        w.add("latency.p99", 0, 1.0);
        List<String> model = List.of("requests.count", "requests.errors", "latency.p99");
        assertEquals("", VaeDetector.lackingMeasurements(model, List.of("requests.count", "requests.errors"), w));
        List<String> joined = List.of("cpu.usage_user", "mem.used_percent", "disk.free");
        Window cpu = new Window("cpu", "", Map.of(), false, 1);
        cpu.notePoint(0);
        cpu.add("usage_user", 0, 1.0);
        assertEquals("mem, disk", VaeDetector.lackingMeasurements(joined, List.of("mem.used_percent", "disk.free"), cpu));
    }

    @Test
    void optionFieldIsSaidToBeUnused() throws Exception {
        // .detector('vae').field('cpu') modelled every field without a word
        String init = stderrOf(() -> VaeDetector.create(Options.of("detector", "vae", "field", "cpu", "field", "load")).close());
        assertTrue(init.contains("option 'field' (cpu, load) is not used"), init);
        String none = stderrOf(() -> VaeDetector.create(Options.of("detector", "vae")).close());
        assertFalse(none.contains("option 'field'"), none);
    }
}
