package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Options;
import anteater.detect.Verdict;
import anteater.detect.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A TICKscript without {@code .groupBy()} hands the VAE one window holding every host's points (seen with two printers
 * into {@code tick/vae.tick}): each step keeps only the last value of a metric, so one host silently hid the others.
 * The detector now says so once per group, naming the field and the remedy.
 */
class SharedGroupLogTest {

    /** Points of {@code hosts} series at the same 1 s times, interleaved as Kapacitor's window holds them. */
    static Window window(int k, int hosts) {
        Window w = new Window("temperatures", "", Map.of(), false, 20 * hosts);
        long t = 0;
        for (int i = 0; i < 20; i++) {
            t = (k * 20L + i) * 1_000_000_000L;
            for (int h = 0; h < hosts; h++) {
                w.notePoint(t);
                w.add("hotend", t, 220.0 + h + (i % 3));
                w.add("bed", t, 90.0 - h);
            }
        }
        w.end("temperatures", "", Map.of(), false, t + 1_000_000_000L);
        return w;
    }

    static String run(int hosts) throws Exception {
        VaeDetector d = VaeDetector.create(Options.of("detector", "vae", "warmup", 100L));
        List<Verdict> out = new ArrayList<>();
        try {
            return ModelMismatchLogTest.stderrOf(() -> {
                for (int k = 0; k < 3; k++) d.process(window(k, hosts), out);
            });
        } finally {
            d.close();
        }
    }

    @Test
    void severalSeriesInOneGroupAreNamedOnce() throws Exception {
        String log = run(2);
        String line = "20 values of field 'hotend' share their time with another of this window";
        assertTrue(log.contains(line) && log.contains(".groupBy("), log);
        assertEquals(log.indexOf("share their time"), log.lastIndexOf("share their time"), "once per group: " + log);
    }

    @Test
    void oneSeriesPerGroupSaysNothing() throws Exception {
        assertFalse(run(1).contains("share their time"));
    }
}
