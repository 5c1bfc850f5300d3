package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A task whose .field() names a field its windows do not have (a typo: 'hotnd' for 'hotend') got no output for it and
 * not a word in the log at level info: the detector skips points without the field. The agent now names it once.
 */
class MissingFieldLogTest {

    @AfterEach
    void clear() {
        System.clearProperty(AnteaterConfig.PROPERTY);
        Sinks.reset();
    }

    static Udf.InitRequest init(String detector, String... fields) {
        Udf.InitRequest.Builder b = Udf.InitRequest.newBuilder().addOptions(Udf.Option.newBuilder().setName("detector")
                .addValues(Udf.OptionValue.newBuilder().setStringValue(detector)));
        for (String f : fields) {
            b.addOptions(Udf.Option.newBuilder().setName("field").addValues(Udf.OptionValue.newBuilder().setStringValue(f)));
        }
        return b.build();
    }

    static Window window(long start) {
        Window w = new Window("temperatures", "printer=p1", Map.of("printer", "p1"), false, 10);
        for (int i = 0; i < 10; i++) {
            long t = (start + i) * 1_000_000_000L;
            w.notePoint(t);
            w.add("hotend", t, 220 + (i % 3));
            w.add("bed", t, 90 + (i % 2));
        }
        w.end("temperatures", "printer=p1", Map.of("printer", "p1"), false, (start + 10) * 1_000_000_000L);
        return w;
    }

    static String run(Udf.InitRequest init, int windows) {
        PrintStream err = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        AnomalyHandler h = new AnomalyHandler();
        try {
            Udf.InitResponse r = h.init(init);
            assertTrue(r.getSuccess(), r.getError());
            List<Udf.Response> out = new ArrayList<>();
            for (int i = 0; i < windows; i++) h.window(window(i * 10L), out::add);
        } finally {
            h.close();
            System.setErr(err);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    static void eventsTo(Path dir) throws java.io.IOException {
        Path f = dir.resolve("anteater.yaml");
        java.nio.file.Files.writeString(f, "Events:\n  file: " + dir.resolve("ev.jsonl") + "\n");
        System.setProperty(AnteaterConfig.PROPERTY, f.toString());
        Sinks.reset();
    }

    @Test
    void aFieldNoWindowHasIsNamedOnce(@TempDir Path dir) throws Exception {
        eventsTo(dir);
        for (String detector : List.of("ttest", "robustz", "knncad", "entropy")) {
            String log = run(init(detector, "hotnd", "bed"), 3);
            List<String> lines = log.lines().filter(l -> l.contains("field 'hotnd'")).toList();
            assertEquals(1, lines.size(), detector + ": " + log);
            assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("temperatures {printer=p1}")
                    && lines.get(0).contains("[bed, hotend]"), lines.get(0));
            assertTrue(log.lines().noneMatch(l -> l.contains("field 'bed'")), "bed is there: " + log);
        }
    }

    @Test
    void vaeTakesEveryFieldAndSaysNothing(@TempDir Path dir) throws Exception {
        eventsTo(dir);
        String log = run(init("vae", "hotnd"), 2);
        assertTrue(log.lines().noneMatch(l -> l.contains("is in no window")), log);
    }
}
