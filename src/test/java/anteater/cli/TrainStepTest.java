package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.eval.TrainingData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Telegraf gathers its inputs a little apart (cpu at :00, mem at :01 of each 10 s), so an export's measurements have
 * different timestamps: train made a row per distinct time, each holding half the metrics and the other half copied
 * from the row before (60 rows for 30 steps), whose lags then spanned half the seconds of the task's steps, and said
 * nothing. Option step (the task's own) aligns them into one row a step; without it a warning says so.
 */
class TrainStepTest {
    static final long SEC = 1_000_000_000L;

    static Path export(Path dir) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            long t = 1_700_000_000L * SEC + i * 10 * SEC;
            b.append("cpu,host=web1 usage_user=").append(10 + i).append(' ').append(t).append('\n');
            b.append("mem,host=web1 used_percent=").append(50 + i).append(' ').append(t + SEC).append('\n');
        }
        Path p = dir.resolve("telegraf.lp");
        Files.writeString(p, b.toString());
        return p;
    }

    @Test
    void offsetMeasurementsAreOneRowAStepWithOptionStep(@TempDir Path dir) throws IOException {
        Path p = export(dir);
        TrainingData.Table rowPerTime = TrainingData.read(p, Map.of(), 0);
        assertEquals(60, rowPerTime.rows().length);
        assertEquals(0.5, rowPerTime.filledShare(), 0.02, "half of each row was filled in");
        TrainingData.Table aligned = TrainingData.read(p, Map.of(), 10 * SEC);
        assertEquals(List.of("cpu.usage_user", "mem.used_percent"), aligned.metrics());
        assertEquals(30, aligned.rows().length);
        assertEquals(0.0, aligned.filledShare());
        assertArrayEquals(new double[] {13, 53}, aligned.rows()[3]);
    }

    @Test
    void withoutAStepAMostlyFilledTableIsSaidToNeedOne(@TempDir Path dir) throws IOException {
        String w = TrainCommand.unaligned(TrainingData.read(export(dir), Map.of(), 0), 0);
        assertTrue(w != null && w.startsWith("50% of the values were filled in") && w.contains("-o step="), w);
        assertNull(TrainCommand.unaligned(TrainingData.read(export(dir), Map.of(), 10 * SEC), 10 * SEC));
    }

    @Test
    void noStepIsSuggestedForInputsThatRefuseIt(@TempDir Path dir) throws IOException {
        // a CSV with gaps, lines without timestamps: their rows are taken as they are, and option step is refused for
        // them, so a warning that tells to give it sends the operator to an error
        StringBuilder csv = new StringBuilder("a,b\n"), untimed = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            csv.append(i % 2 == 0 ? i + "," : "," + i).append('\n');
            untimed.append("cpu usage_user=").append(i).append("\nmem used_percent=").append(i).append('\n');
        }
        Path c = dir.resolve("gaps.csv"), u = dir.resolve("untimed.lp");
        Files.writeString(c, csv.toString());
        Files.writeString(u, untimed.toString());
        assertNull(TrainCommand.unaligned(TrainingData.read(c, Map.of(), 0), 0));
        assertNull(TrainCommand.unaligned(TrainingData.read(u, Map.of(), 0), 0));
    }

    @Test
    void prometheusSamplesAreAlignedToo(@TempDir Path dir) throws IOException {
        StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < 2; s++) {
            b.append(s == 0 ? "" : ",").append("{\"metric\":{\"__name__\":\"m").append(s).append("\"},\"values\":[");
            for (int i = 0; i < 20; i++) {
                b.append(i == 0 ? "" : ",").append('[').append(1_700_000_000 + i * 15 + s * 2).append(",\"").append(i).append("\"]");
            }
            b.append("]}");
        }
        b.append("]}}");
        Path p = dir.resolve("q.json");
        Files.writeString(p, b.toString());
        assertEquals(40, TrainingData.read(p, Map.of(), 0).rows().length);
        assertEquals(20, TrainingData.read(p, Map.of(), 15 * SEC).rows().length);
    }

    @Test
    void aStepForACsvOrUntimedLinesIsRefused(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("a.csv");
        Files.writeString(csv, "a,b\n1,2\n3,4\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(csv, Map.of(), 10 * SEC));
        assertTrue(e.getMessage().contains("option 'step'"), e.getMessage());
        Path lp = dir.resolve("u.lp");
        Files.writeString(lp, "cpu a=1\ncpu a=2\n");
        e = assertThrows(IOException.class, () -> TrainingData.read(lp, Map.of(), 10 * SEC));
        assertTrue(e.getMessage().contains("has none"), e.getMessage());
    }
}
