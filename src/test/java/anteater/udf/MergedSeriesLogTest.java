package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Window;
import anteater.sink.AnteaterConfig;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
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
 * A TICKscript without {@code .groupBy()} hands the agent one window holding every host's points (seen with two
 * printers written into {@code tick/vae.tick}: the VAE keeps the last value of each step, so the second printer's
 * values replaced the first's; robustz, knncad and entropy judge a sequence that jumps between printers). Nothing
 * said so; the agent now names the field once per group, with the remedy.
 */
class MergedSeriesLogTest {

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    /** 20 s of 1 s points of {@code printers} printers at the same times, interleaved as Kapacitor's window holds them. */
    static Window window(int k, int printers) {
        Window w = new Window("temperatures", "", Map.of(), false, 20 * printers);
        for (int i = 0; i < 20; i++) {
            long t = (k * 20L + i) * 1_000_000_000L;
            for (int p = 0; p < printers; p++) {
                w.notePoint(t);
                w.add("hotend", t, 220.0 + p + (i % 3));
                w.add("bed", t, 90.0 - p + (i % 2));
            }
        }
        w.end("temperatures", "", Map.of(), false, (k * 20L + 20) * 1_000_000_000L);
        return w;
    }

    static String run(String detector, int printers, Path dir) throws Exception {
        MissingFieldLogTest.eventsTo(dir);
        Udf.InitRequest init = detector.equals("vae") ? MissingFieldLogTest.init("vae") : MissingFieldLogTest.init(detector, "hotend", "bed");
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        AnomalyHandler h = new AnomalyHandler();
        try {
            Udf.InitResponse r = h.init(init);
            assertTrue(r.getSuccess(), r.getError());
            List<Udf.Response> out = new ArrayList<>();
            for (int k = 0; k < 3; k++) h.window(window(k, printers), out::add);
        } finally {
            h.close();
            System.setErr(err);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void severalSeriesInOneGroupAreNamedOnce(@TempDir Path dir) throws Exception {
        for (String detector : List.of("ttest", "robustz", "vae")) {
            String log = run(detector, 2, dir);
            String line = "group (no group-by) of temperatures: 20 values of field 'hotend' share their time with another of this window";
            assertTrue(log.contains(line) && log.contains(".groupBy("), detector + ": " + log);
            assertEquals(log.indexOf("share their time"), log.lastIndexOf("share their time"), "once per group: " + log);
        }
    }

    @Test
    void oneSeriesPerGroupSaysNothing(@TempDir Path dir) throws Exception {
        assertFalse(run("robustz", 1, dir).contains("share their time"));
    }

    /**
     * One printer whose every point comes twice (a write retried after a timeout, or two InfluxDB nodes behind a relay
     * both forwarding to Kapacitor): the same value at the same time is a repeated point, not a second series; told to
     * add a .groupBy() the operator of an already grouped task would look for a second host that is not there.
     */
    @Test
    void aRepeatedPointOfOneSeriesIsNotTakenForSeveral() {
        Window w = new Window("temperatures", "printer=p1", Map.of("printer", "p1"), false, 40);
        for (int i = 0; i < 20; i++) {
            long t = i * 1_000_000_000L;
            for (int copy = 0; copy < 2; copy++) {
                w.notePoint(t);
                w.add("hotend", t, 220.0 + (i % 3));
            }
        }
        w.end("temperatures", "printer=p1", Map.of("printer", "p1"), false, 20_000_000_000L);
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            new MergedSeriesCheck().check(w);
        } finally {
            System.setErr(err);
        }
        assertFalse(b.toString(StandardCharsets.UTF_8).contains("share their time"), b.toString(StandardCharsets.UTF_8));
    }
}
