package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eval --only: a name that matches no series is refused instead of silently leaving the series out of the means. */
class OnlyFilterTest {

    private static void gz(Path p, String text) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static Path smd(Path dir) throws IOException {
        for (String m : List.of("machine-1-1", "machine-2-1")) {
            gz(dir.resolve(m + "_train.csv.gz"), "m0,m1\n0.1,0.2\n0.2,0.3\n0.3,0.1\n");
            gz(dir.resolve(m + "_test.csv.gz"), "m0,m1\n0.1,0.2\n0.9,0.9\n");
            gz(dir.resolve(m + "_test_label.csv.gz"), "0\n1\n");
        }
        return dir;
    }

    @Test
    void smdOnlyWithAMisspeltNameIsRefused(@TempDir Path dir) throws IOException {
        smd(dir);
        assertEquals(2, SmdLoader.load(dir, null).size());
        assertEquals(List.of("machine-2-1"), SmdLoader.load(dir, "machine-2-1").stream().map(Dataset::name).toList());
        assertEquals(2, SmdLoader.load(dir, "machine-1-1,machine-2-1").size());
        // "machine-2-l" (letter l): before, machine-2-1 silently dropped out and the means were of machine-1-1 alone
        IOException e = assertThrows(IOException.class, () -> SmdLoader.load(dir, "machine-1-1,machine-2-l"));
        assertTrue(e.getMessage().contains("machine-2-l"), e.getMessage());
        // alone, it gave an empty table of NaN means, exit code 0
        assertThrows(IOException.class, () -> SmdLoader.load(dir, "machine-9-9"));
    }

    @Test
    void nabOnlyWithAMisspeltNameIsRefused(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("realKnownCause"));
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 40; i++) csv.append(String.format("2014-01-01 00:%02d:00,%d%n", i, i % 7));
        Files.writeString(dir.resolve("realKnownCause/a.csv"), csv);
        Files.writeString(dir.resolve("realKnownCause/b.csv"), csv);
        Files.writeString(dir.resolve("combined_windows.json"), "{\"realKnownCause/a.csv\": "
                + "[[\"2014-01-01 00:30:00.000000\", \"2014-01-01 00:32:00.000000\"]], \"realKnownCause/b.csv\": []}");
        assertEquals(1, NabLoader.load(dir, "realKnownCause/a").size());
        assertThrows(IOException.class, () -> NabLoader.load(dir, "realKnownCause/a,realKnownCause/c"));
    }

    @Test
    void aRefusalListsUpToTenSeries() {
        List<String> ten = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) ten.add("s" + i);
        SeriesFilter f = SeriesFilter.of(" s1 ,x,,");
        IOException e = assertThrows(IOException.class, () -> f.checkAllFound(ten, "d"));
        assertEquals("--only: no series named x in d (series there: " + String.join(", ", ten) + ")", e.getMessage());
        List<String> eleven = new java.util.ArrayList<>(ten);
        eleven.add("s10");
        e = assertThrows(IOException.class, () -> f.checkAllFound(eleven, "d"));
        assertEquals("--only: no series named x in d (series there: " + String.join(", ", ten) + ", ... (11 in all))", e.getMessage());
        assertTrue(f.accepts("s1") && !f.accepts(" s1 ") && !f.accepts("s2"));
        assertTrue(SeriesFilter.of(" , ").accepts("anything"), "a list of blanks selects every series");
    }
}
