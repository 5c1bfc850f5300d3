package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed NAB and SMD input is refused with an IOException naming the file (and line) and what is wrong. Before,
 * a NAB row without a comma or with a bad timestamp escaped as StringIndexOutOfBounds / DateTimeParseException (a
 * stack trace from {@code eval}), a bad number or label said only {@code For input string: "x"}, a window list
 * that is not a list was taken as "no windows", a window of one timestamp was a NullPointerException, and a file without rows gave a
 * table of NaN. Rows whose time steps back are kept as they are (NAB's own corpus has one such file).
 */
class LoaderErrorsTest {

    static final String WINDOWS = "{\"f/a.csv\": [[\"2020-01-01 00:05:00.000000\", \"2020-01-01 00:06:00.000000\"]]}";

    static Path nab(Path dir, String windows, String csv) throws IOException {
        Files.createDirectories(dir.resolve("f"));
        Files.writeString(dir.resolve("combined_windows.json"), windows);
        Files.writeString(dir.resolve("f/a.csv"), csv);
        return dir;
    }

    static String rows(int n) {
        StringBuilder b = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < n; i++) b.append(String.format("2020-01-01 00:%02d:00,%d%n", i, i));
        return b.toString();
    }

    static String nabError(Path dir, String windows, String csv) throws IOException {
        nab(dir, windows, csv);
        return assertThrows(IOException.class, () -> NabLoader.loadLabelled(dir, null)).getMessage();
    }

    @Test
    void goodNabFileLoads(@TempDir Path dir) throws Exception {
        NabLoader.Labelled l = NabLoader.loadLabelled(nab(dir, WINDOWS, rows(20)), null).get(0);
        assertEquals("f/a", l.data().name());
        assertEquals(20, l.data().train().length + l.data().test().length);
        // time stepping back (an hour repeated, as in NAB's machine_temperature_system_failure.csv) is not an error
        String back = rows(20).replace("2020-01-01 00:10:00,10", "2020-01-01 00:02:00,10");
        assertEquals(20, NabLoader.loadLabelled(nab(dir, WINDOWS, back), null).get(0).data().test().length + 3);
    }

    @Test
    void aLabelledNabFileThatIsAbsentIsSaid(@TempDir Path dir) throws Exception {
        nab(dir, "{\"f/a.csv\": [], \"f/gone.csv\": [], \"g/gone2.csv\": []}", rows(20));
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(b, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(1, NabLoader.loadLabelled(dir, null).size());
        } finally {
            System.setErr(err);
        }
        String said = b.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(said.contains("combined_windows.json: 2 of its 3 files are not in " + dir + ", not scored: f/gone.csv, g/gone2.csv"), said);
        assertEquals(1, said.strip().lines().count(), said);
    }

    @Test
    void aNabRowThatIsNotUtf8NamesFileAndLine(@TempDir Path dir) throws Exception {
        nab(dir, WINDOWS, rows(20));
        byte[] b = Files.readAllBytes(dir.resolve("f/a.csv"));
        String text = new String(b, java.nio.charset.StandardCharsets.US_ASCII);
        int at = text.indexOf(",3\n") + 2; // row 5's value, "3" then a Latin-1 byte
        byte[] bad = new byte[b.length + 1];
        System.arraycopy(b, 0, bad, 0, at);
        bad[at] = (byte) 0xe9;
        System.arraycopy(b, at, bad, at + 1, b.length - at);
        Files.write(dir.resolve("f/a.csv"), bad);
        String m = assertThrows(IOException.class, () -> NabLoader.loadLabelled(dir, null)).getMessage();
        assertTrue(m.contains("a.csv:5: value is not a number: '3"), m);
    }

    @Test
    void badNabRowsNameFileAndLine(@TempDir Path dir) throws Exception {
        String good = rows(20);
        String m = nabError(dir, WINDOWS, good.replace("2020-01-01 00:03:00,3", "garbage"));
        assertTrue(m.endsWith("a.csv:5: expected timestamp,value, got 'garbage'"), m);
        m = nabError(dir, WINDOWS, good.replace("2020-01-01 00:03:00,3", "2020-01-01T00:03:00,3"));
        assertTrue(m.endsWith("a.csv:5: bad timestamp '2020-01-01T00:03:00' (expected yyyy-MM-dd HH:mm:ss[.SSSSSS])"), m);
        m = nabError(dir, WINDOWS, good.replace("2020-01-01 00:03:00,3", "2020-01-01 00:03:00,abc"));
        assertTrue(m.endsWith("a.csv:5: value is not a number: 'abc'"), m);
        m = nabError(dir, WINDOWS, good.replace("2020-01-01 00:03:00,3", "2020-01-01 00:03:00,"));
        assertTrue(m.endsWith("a.csv:5: value is not a number: ''"), m);
        m = nabError(dir, WINDOWS, "timestamp,value\n");
        assertTrue(m.endsWith("a.csv: no data rows"), m);
    }

    @Test
    void badWindowsNameTheFileAndSeries(@TempDir Path dir) throws Exception {
        String csv = rows(20);
        String m = nabError(dir, "{\"f/a.csv\": \"x\"}", csv);
        assertTrue(m.contains("combined_windows.json: \"f/a.csv\": expected a list of [start, end] windows"), m);
        m = nabError(dir, "{\"f/a.csv\": [[\"2020-01-01 00:05:00.000000\"]]}", csv);
        assertTrue(m.contains("\"f/a.csv\": a window must be [\"start\", \"end\"]"), m);
        m = nabError(dir, "{\"f/a.csv\": [[\"soon\", \"2020-01-01 00:06:00.000000\"]]}", csv);
        assertTrue(m.contains("\"f/a.csv\": bad timestamp 'soon'"), m);
        m = nabError(dir, "{\"f/a.csv\": [[\"2020-01-01 00:07:00.000000\", \"2020-01-01 00:06:00.000000\"]]}", csv);
        assertTrue(m.contains("ends before it starts"), m);
        m = nabError(dir, "{\"f/a.csv\": [", csv);
        assertTrue(m.contains("combined_windows.json:") && m.contains("not valid JSON"), m);
        m = nabError(dir, "[]", csv);
        assertTrue(m.contains("combined_windows.json: expected an object"), m);
    }

    @Test
    void seriesOutsideTheDataFolderAreRefused(@TempDir Path dir) throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("mine.csv"), rows(20));
        Path data = dir.resolve("nab");
        for (String key : new String[] {elsewhere.toString(), "../mine.csv", "f/../../mine.csv", "./f/a.csv"}) {
            String m = nabError(data, "{\"" + key + "\": []}", rows(20));
            assertTrue(m.contains("\"" + key + "\": a file must be named by a relative path inside"), m);
        }
    }

    @Test
    void badSmdLabelNamesFileAndLine(@TempDir Path dir) throws Exception {
        GzipInputTest.gzip(dir.resolve("m_train.csv.gz"), "a\n1\n2\n3\n");
        GzipInputTest.gzip(dir.resolve("m_test.csv.gz"), "a\n1\n2\n3\n");
        GzipInputTest.gzip(dir.resolve("m_test_label.csv.gz"), "0\nx\n1\n");
        String m = assertThrows(IOException.class, () -> SmdLoader.load(dir, null)).getMessage();
        assertTrue(m.endsWith("m_test_label.csv.gz:2: a label must be 0 or 1, got 'x'"), m);
        for (String bad : new String[] {"0.7", "NaN", "2", "-1"}) {
            GzipInputTest.gzip(dir.resolve("m_test_label.csv.gz"), "0\n" + bad + "\n1\n");
            m = assertThrows(IOException.class, () -> SmdLoader.load(dir, null), bad).getMessage();
            assertTrue(m.endsWith("m_test_label.csv.gz:2: a label must be 0 or 1, got '" + bad + "'"), m);
        }
        GzipInputTest.gzip(dir.resolve("m_test_label.csv.gz"), "0\n1.0\n1\n");
        assertEquals(1, SmdLoader.load(dir, null).get(0).labels()[1], "1.0 is 1");
    }

    @Test
    void smdLabelsOfAnotherLengthNameBothFiles(@TempDir Path dir) throws Exception {
        GzipInputTest.gzip(dir.resolve("m_train.csv.gz"), "a\n1\n2\n3\n");
        GzipInputTest.gzip(dir.resolve("m_test.csv.gz"), "a\n1\n2\n3\n");
        GzipInputTest.gzip(dir.resolve("m_test_label.csv.gz"), "0\n1\n");
        String m = assertThrows(IOException.class, () -> SmdLoader.load(dir, null)).getMessage();
        assertTrue(m.equals(dir.resolve("m_test_label.csv.gz") + ": 2 labels for the 3 rows of " + dir.resolve("m_test.csv.gz")
                + " (one label a row)"), m);
    }

    @Test
    void smdLabelsWithAByteOrderMarkLoad(@TempDir Path dir) throws Exception {
        GzipInputTest.gzip(dir.resolve("m_train.csv.gz"), "a\n1\n2\n3\n");
        GzipInputTest.gzip(dir.resolve("m_test.csv.gz"), "a\n1\n2\n3\n");
        GzipInputTest.gzip(dir.resolve("m_test_label.csv.gz"), "\uFEFF1\n0\n1\n");
        assertEquals(java.util.List.of(1, 0, 1), java.util.Arrays.stream(SmdLoader.load(dir, null).get(0).labels()).boxed().toList());
    }

    @Test
    void smdRowsAreOneMinuteApartAndTheTestHalfFollowsTheTrainingHalf(@TempDir Path dir) throws Exception {
        GzipInputTest.gzip(dir.resolve("m_train.csv.gz"), "a,b\n1,2\n3,4\n5,6\n");
        GzipInputTest.gzip(dir.resolve("m_test.csv.gz"), "a,b\n7,8\n9,10\n");
        GzipInputTest.gzip(dir.resolve("m_test_label.csv.gz"), "0\n1\n");
        Dataset d = SmdLoader.load(dir, null).get(0);
        long t0 = SmdLoader.T0_NS, minute = 60_000_000_000L;
        assertEquals(java.util.List.of(t0, t0 + minute, t0 + 2 * minute), java.util.Arrays.stream(d.trainTimes()).boxed().toList());
        assertEquals(java.util.List.of(t0 + 3 * minute, t0 + 4 * minute), java.util.Arrays.stream(d.testTimes()).boxed().toList());
        assertEquals(2.0 / 1440, d.testDays(), 1e-15, "two rows of a minute: false alarms per day are per 1,440 rows");
        assertEquals(java.util.List.of("a", "b"), d.metrics());
        assertEquals(10.0, d.test()[1][1], 0);
    }

    @Test
    void nabRowsSplitAtTheProbationAndWindowsLabelTheirEndsToo(@TempDir Path dir) throws Exception {
        // 40 rows a minute apart: probation floor(0.15 x 40) = 6 rows; windows [00:10, 00:14] and [00:20.5, 00:21]
        StringBuilder csv = new StringBuilder("timestamp,value\n");
        for (int i = 0; i < 40; i++) csv.append(String.format("2020-01-01 00:%02d:00,%d%n", i, 100 + i));
        String windows = "{\"f/a.csv\": [[\"2020-01-01 00:20:30.000000\", \"2020-01-01 00:21:00.000000\"],"
                + " [\"2020-01-01 00:10:00.000000\", \"2020-01-01 00:14:00.000000\"]]}";
        NabLoader.Labelled l = NabLoader.loadLabelled(nab(dir, windows, csv.toString()), null).get(0);
        Dataset d = l.data();
        assertEquals(6, d.train().length);
        assertEquals(34, d.test().length);
        assertEquals(105.0, d.train()[5][0], 0);
        assertEquals(106.0, d.test()[0][0], 0);
        long t0 = java.time.LocalDateTime.of(2020, 1, 1, 0, 0).toEpochSecond(java.time.ZoneOffset.UTC) * 1_000_000_000L;
        assertEquals(t0 + 5 * 60_000_000_000L, d.trainTimes()[5]);
        assertEquals(t0 + 6 * 60_000_000_000L, d.testTimes()[0]);
        java.util.List<Integer> labelled = new java.util.ArrayList<>();
        for (int i = 0; i < d.labels().length; i++) if (d.labels()[i] == 1) labelled.add(i + 6);
        assertEquals(java.util.List.of(10, 11, 12, 13, 14, 21), labelled, "both ends of a window are in it");
        assertEquals(2, l.windows().size());
        assertEquals(t0 + 10 * 60_000_000_000L, l.windows().get(1)[0], "windows in the file's order");
        assertEquals(t0 + 20 * 60_000_000_000L + 30_000_000_000L, l.windows().get(0)[0]);
        assertEquals(t0 + 123_456_000L, NabLoader.ns("2020-01-01 00:00:00.123456"), "microseconds");
    }
}
