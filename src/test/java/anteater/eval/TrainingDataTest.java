package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingDataTest {

    @Test
    void lineProtocolWithSeveralMeasurementsQualifiesIds(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("d.lp");
        Files.writeString(p, String.join("\n",
                "cpu,host=a usage=1.5,state=\"ok\" 1000",
                "mem,host=a used=10i 1000",
                "cpu,host=a usage=2.5 2000",
                "mem,host=a used=12i 3000", ""));
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("cpu.usage", "mem.used"), t.metrics());
        assertEquals(3, t.rows().length);
        assertArrayEquals(new double[] {1.5, 10}, t.rows()[0]);
        assertArrayEquals(new double[] {2.5, 10}, t.rows()[1], "forward fill");
        assertArrayEquals(new double[] {2.5, 12}, t.rows()[2]);
    }

    @Test
    void csvDropsTimeAndPrometheusJson(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("d.csv");
        Files.writeString(c, "time,a,b\n1,2,3\n2,,5\n");
        TrainingData.Table t = TrainingData.read(c);
        assertEquals(List.of("a", "b"), t.metrics());
        assertArrayEquals(new double[] {2, 5}, t.rows()[1]);
        Path j = dir.resolve("q.json");
        Files.writeString(j, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\",\"job\":\"x\"},\"values\":[[1,\"1\"],[2,\"0\"]]},"
                + "{\"metric\":{\"__name__\":\"load\"},\"values\":[[1,\"0.5\"],[2,\"0.7\"]]}]}}");
        TrainingData.Table q = TrainingData.read(j);
        assertEquals(List.of("up", "load"), q.metrics());
        assertArrayEquals(new double[] {0, 0.7}, q.rows()[1]);
    }

    static java.io.IOException refused(Path dir, String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> TrainingData.read(p), text);
    }

    @Test
    void csvIsReadAsCsv(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("q.csv");
        // quoted names, spaces after commas, a byte order mark, an ISO time column, an empty last cell, Infinity
        Files.writeString(c, "\uFEFF\"timestamp\", \"cpu\", mem\n2024-01-01T00:00:00Z, 1, 2\n"
                + "2024-01-01T00:01:00Z, 3,\n2024-01-01T00:02:00Z, Infinity, 7\n");
        TrainingData.Table t = TrainingData.read(c);
        assertEquals(List.of("cpu", "mem"), t.metrics());
        assertArrayEquals(new double[] {3, 2}, t.rows()[1], "an empty last cell is missing, forward-filled");
        assertArrayEquals(new double[] {3, 7}, t.rows()[2], "a non-finite value is missing");
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "dup.csv", "a,a,b\n1,2,3\n").getMessage()
                .contains("column 'a' is named twice"));
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "t2.csv", "time,a,Time\n1,2,3\n").getMessage()
                .contains("more than one time column"));
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "bad.csv", "a,b\n1,2\n3,x\n").getMessage()
                .contains("bad.csv:3: column b is not a number: 'x'"), refused(dir, "bad.csv", "a,b\n1,2\n3,x\n").getMessage());
    }

    @Test
    void csvNonFiniteCellsAsNumpyAndPandasWriteThemAreMissing(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("np.csv");
        // numpy.savetxt writes nan and inf, pandas' to_csv inf and -inf, R Inf and NaN
        Files.writeString(c, "a,b\n1,2\nnan,inf\n-inf,Inf\n-Infinity,NAN\n1e400,8\n");
        TrainingData.Table t = TrainingData.read(c);
        assertEquals(5, t.rows().length);
        for (int i = 1; i < 5; i++) assertArrayEquals(new double[] {1, i < 4 ? 2 : 8}, t.rows()[i], "row " + i + " is missing, forward-filled");
    }

    @Test
    void aCsvSeparatedByAnotherCharacterSaysSo(@TempDir Path dir) throws Exception {
        // a spreadsheet's export with ';' (a locale of decimal commas) said "semi.csv:2: 2 columns, header has 1"
        String m = refused(dir, "semi.csv", "a;b\n1,5;2\n3;4\n").getMessage();
        assertTrue(m.contains("semi.csv:1: the header is one column, 'a;b': the file seems separated by ';', and CSV is read with commas"), m);
        m = refused(dir, "tab.csv", "a\tb\n1\t2\n").getMessage();
        assertTrue(m.contains("tab.csv:1: the header is one column, 'a\tb': the file seems separated by tabs"), m);
    }

    @Test
    void timeColumnsOfOtherNamesAreNotMetrics(@TempDir Path dir) throws Exception {
        for (String name : new String[] {"ts", "_time", "Date", "datetime"}) {
            Path c = dir.resolve(name + ".csv");
            Files.writeString(c, name + ",cpu\n1700000000,1\n1700000060,2\n");
            assertEquals(List.of("cpu"), TrainingData.read(c).metrics(), name);
        }
        Path both = Files.writeString(dir.resolve("both.csv"), "date,time,cpu\n2024-01-01,00:00:00,1\n2024-01-01,00:01:00,2\n");
        assertEquals(List.of("cpu"), TrainingData.read(both).metrics(), "a date and a time column");
    }

    @Test
    void malformedCsvNamesTheLineOfTheRow(@TempDir Path dir) throws Exception {
        String m = refused(dir, "q1.csv", "a,b\n1,2\n\"3\"x,4\n5,6\n").getMessage();
        assertTrue(m.contains("q1.csv:3: not a readable CSV file: Unexpected character ('x'"), m);
        m = refused(dir, "q2.csv", "a,b\n1,2\n3,\"4\n5,6\n7,8\n").getMessage();
        assertTrue(m.contains("q2.csv:3: not a readable CSV file: Missing closing quote"), m);
    }

    @Test
    void aMetricWithoutAValueIsLeftOutNotLearntAsZero(@TempDir Path dir) throws Exception {
        // learnt as a constant 0, such a metric made the agent flag every window once it reported
        Path c = dir.resolve("gap.csv");
        Files.writeString(c, "a,disk2,b\n1,,2\n3,nan,4\n");
        TrainingData.Table t = TrainingData.read(c);
        assertEquals(List.of("a", "b"), t.metrics());
        assertEquals(List.of("disk2"), t.empty());
        assertArrayEquals(new double[] {3, 4}, t.rows()[1]);
        Path j = dir.resolve("nan.json");
        Files.writeString(j, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"up\"},\"values\":[[1,\"1\"],[2,\"0\"]]},"
                + "{\"metric\":{\"__name__\":\"lat\"},\"values\":[[1,\"NaN\"],[2,\"NaN\"]]}]}}");
        TrainingData.Table q = TrainingData.read(j);
        assertEquals(List.of("up"), q.metrics());
        assertEquals(List.of("lat"), q.empty());
        assertArrayEquals(new double[] {0}, q.rows()[1]);
    }

    @Test
    void lineProtocolUnsignedIntegersAreUnsigned(@TempDir Path dir) throws Exception {
        // a uint64 counter past 2^63 (Telegraf with influx_uint_support) was refused as "has value"; a negative one read
        Path p = dir.resolve("u.lp");
        Files.writeString(p, "net bytes=18446744073709551615u,small=7u 1\nnet bytes=9223372036854775808u,small=8u 2\n");
        TrainingData.Table t = TrainingData.read(p);
        assertArrayEquals(new double[] {18446744073709551615.0, 7}, t.rows()[0]);
        assertArrayEquals(new double[] {9223372036854775808.0, 8}, t.rows()[1]);
        assertTrue(refused(dir, "neg.lp", "net bytes=-5u 1\n").getMessage().contains("neg.lp:1: not line protocol: field 'bytes' has value '-5u'"));
    }

    @Test
    void aByteOrderMarkIsDroppedInEveryFormat(@TempDir Path dir) throws Exception {
        Path lp = Files.writeString(dir.resolve("bom.lp"), "\uFEFFcpu usage=1 1\r\ncpu usage=2 2\r\nmem used=3 2\r\n");
        TrainingData.Table t = TrainingData.read(lp);
        assertEquals(List.of("cpu.usage", "mem.used"), t.metrics(), "the first line's measurement is cpu");
        Path commented = Files.writeString(dir.resolve("bom2.lp"), "\uFEFF# exported\ncpu usage=1 1\n");
        assertEquals(List.of("usage"), TrainingData.read(commented).metrics());
        Path j = Files.writeString(dir.resolve("bom.json"), "\uFEFF{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                + "\"result\":[{\"metric\":{\"__name__\":\"up\"},\"values\":[[1,\"1\"]]}]}}");
        assertEquals(List.of("up"), TrainingData.read(j).metrics());
    }

    @Test
    void lineProtocolEscapesStringsAndSeries(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("e.lp");
        Files.writeString(p, String.join("\n",
                "cp\\,u,host=a\\ b a\\,b=1,f\\=x=2,s=\"x,bogus=5\",q=\"has \\\" quote, and space\",v=3i,ok=true 1000",
                "cp\\,u,host=a\\ b a\\,b=4,f\\=x=5,v=6i 2000", ""));
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("a,b", "f=x", "v"), t.metrics(), "escaped keys kept whole; strings and booleans are no metrics");
        assertArrayEquals(new double[] {1, 2, 3}, t.rows()[0]);
        assertArrayEquals(new double[] {4, 5, 6}, t.rows()[1]);
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "two.lp", "cpu,host=a v=1 1\ncpu,host=b v=2 1\n")
                .getMessage().contains("measurement 'cpu' has several series (host=a; host=b): a model is for one group, so give"
                        + " one series per measurement (e.g. --tag host=a)"));
        // the first series has no tags: the hint picks the other by the tag only it has
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "untagged.lp", "cpu v=1 1\ncpu,host=b v=2 1\n")
                .getMessage().contains("has several series (no tags; host=b): a model is for one group, so give one series per"
                        + " measurement (e.g. --tag host=b)"));
        Path two = dir.resolve("two.lp");
        TrainingData.Table b = TrainingData.read(two, java.util.Map.of("host", "b"));
        assertEquals(List.of("v"), b.metrics());
        assertArrayEquals(new double[] {2}, b.rows()[0], "--tag host=b keeps host b's series");
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "mixed.lp", "cpu v=1 1000\ncpu v=2\n")
                .getMessage().contains("mixed.lp:2: some lines have a timestamp and some do not"));
        org.junit.jupiter.api.Assertions.assertTrue(refused(dir, "float.lp", "cpu v=1 1000.5\n")
                .getMessage().contains("float.lp:1: not line protocol: timestamp '1000.5' is not an integer"));
    }

    @Test
    void lineProtocolLinesWithoutANumberAddNoRow(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("log.lp");
        // an event measurement of strings and booleans between the metric's points, with a tag that varies
        Files.writeString(p, String.join("\n",
                "cpu usage=1 1000", "log,level=info msg=\"deploy\",ok=true 1500",
                "cpu usage=2 2000", "log,level=warn msg=\"done\" 2500", "cpu usage=3 3000", ""));
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("usage"), t.metrics(), "one measurement of metrics: ids are its field names");
        assertEquals(3, t.rows().length, "one row per time with a value");
        assertArrayEquals(new double[] {2}, t.rows()[1]);
    }

    @Test
    void anUnnamedFirstColumnIsSaidToBePandasIndex(@TempDir Path dir) throws Exception {
        // df.to_csv('x.csv') writes the frame's unnamed index as a first column without a name
        String m = refused(dir, "pandas.csv", ",usage_user,used_percent\n0,19.6,40.1\n1,19.7,40.2\n").getMessage();
        assertTrue(m.contains("pandas.csv:1: column 1 has no name (pandas' to_csv writes an unnamed index so: pass"
                + " index=False, or name the index time)"), m);
    }

    @Test
    void prometheusInfinitiesAreMissing(@TempDir Path dir) throws Exception {
        Path j = dir.resolve("inf.json");
        Files.writeString(j, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"lat\"},\"values\":[[1,\"1\"],[2,\"+Inf\"],[3,\"-Inf\"],[4,\"4\"]]}]}}");
        TrainingData.Table t = TrainingData.read(j);
        assertEquals(2, t.rows().length, "rows with only non-finite samples are gone");
        assertArrayEquals(new double[] {4}, t.rows()[1]);
    }
}
