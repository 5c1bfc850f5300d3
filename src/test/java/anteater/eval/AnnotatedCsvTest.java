package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InfluxDB 2's annotated CSV (the UI's "Download CSV", influx query --raw, the HTTP API): annotation rows, an unnamed
 * first column, result, table, _start, _stop, _time and the group key's columns. train answered "column 'false' is
 * named twice" (the #group row read as the header).
 */
class AnnotatedCsvTest {

    static final String ANNOTATIONS = "#group,false,false,true,true,false,true,true,false,false\n"
            + "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,string,string,double,long\n"
            + "#default,_result,,,,,,,,\n"
            + ",result,table,_start,_stop,_time,_measurement,host,usage_user,free\n";

    @Test
    void aPivotedExportTrainsOnItsNumericColumns(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("web1.csv"), ANNOTATIONS
                + ",,0,2025-12-04T08:00:00Z,2025-12-04T11:00:00Z,2025-12-04T08:00:00Z,cpu,web1,19.6,100\n"
                + ",,0,2025-12-04T08:00:00Z,2025-12-04T11:00:00Z,2025-12-04T08:00:10Z,cpu,web1,19.8,99\n\n");
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("usage_user", "free"), t.metrics());
        assertArrayEquals(new double[] {19.8, 99}, t.rows()[1]);
    }

    @Test
    void twoHostsAreRefusedByTheColumnThatTellsThemApart(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("fleet.csv"), ANNOTATIONS
                + ",,0,2025-12-04T08:00:00Z,2025-12-04T11:00:00Z,2025-12-04T08:00:00Z,cpu,web1,19.6,100\n"
                + ",,1,2025-12-04T08:00:00Z,2025-12-04T11:00:00Z,2025-12-04T08:00:00Z,cpu,web2,25.0,80\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p));
        assertTrue(e.getMessage().contains("fleet.csv:6: column host holds another series ('web2'; line 5: 'web1')"), e.getMessage());
    }

    @Test
    void theLongFormatSaysToPivot(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("long.csv"), "#group,false,false,true,true,false,false,true,true,true\n"
                + "#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string\n"
                + "#default,_result,,,,,,,,\n,result,table,_start,_stop,_time,_value,_field,_measurement,host\n"
                + ",,0,2025-12-04T08:00:00Z,2025-12-04T11:00:00Z,2025-12-04T08:00:00Z,19.6,usage_user,cpu,web1\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p));
        assertTrue(e.getMessage().contains("long.csv:4: InfluxDB annotated CSV with one value a row (_field, _value): train needs"
                + " a column per metric; pivot it in the query"), e.getMessage());
    }

    @Test
    void eachTablesAnnotationsAndHeaderAreSkipped(@TempDir Path dir) throws Exception {
        // the influx CLI writes a table after another: a blank line, its annotations and its header again
        String row = ",,0,2025-12-04T08:00:00Z,2025-12-04T11:00:00Z,2025-12-04T08:00:%02dZ,cpu,web1,%d,100\n";
        Path p = Files.writeString(dir.resolve("tables.csv"), ANNOTATIONS + row.formatted(0, 1) + "\n" + ANNOTATIONS
                + row.formatted(10, 2) + ANNOTATIONS.substring(ANNOTATIONS.lastIndexOf(",result")) + row.formatted(20, 3));
        TrainingData.Table t = TrainingData.read(p);
        assertEquals(List.of("usage_user", "free"), t.metrics());
        assertEquals(3, t.rows().length);
        for (int i = 0; i < 3; i++) assertArrayEquals(new double[] {i + 1, 100}, t.rows()[i]);
    }

    @Test
    void aPlainCsvKeepsRowsThatLookLikeItsHeaderOrAComment(@TempDir Path dir) throws Exception {
        // outside an annotated CSV, a row repeating the header or starting with # is a row: refused as not numbers
        Path p = Files.writeString(dir.resolve("plain.csv"), "a,b\n1,2\na,b\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p));
        assertTrue(e.getMessage().contains("plain.csv:3: column a is not a number: 'a'"), e.getMessage());
        Path q = Files.writeString(dir.resolve("hash.csv"), "a,b\n1,2\n#3,4\n");
        e = assertThrows(IOException.class, () -> TrainingData.read(q));
        assertTrue(e.getMessage().contains("hash.csv:3: column a is not a number: '#3'"), e.getMessage());
    }

    @Test
    void anUnclosedQuoteIsReportedWhereItsRowStarts(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("quote.csv"), "a,b\n1,2\n3,\"4\n5,6\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p));
        assertTrue(e.getMessage().contains("quote.csv:3: not a readable CSV file: Missing closing quote"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" (a quote opens in the row that starts on this line)"), e.getMessage());
    }

    @Test
    void aSeparatorFirstInTheHeaderIsNamed(@TempDir Path dir) throws Exception {
        Path p = Files.writeString(dir.resolve("lead.csv"), "|a|b\n|1|2\n");
        IOException e = assertThrows(IOException.class, () -> TrainingData.read(p));
        assertTrue(e.getMessage().contains("lead.csv:1: the header is one column, '|a|b': the file seems separated by '|'"),
                e.getMessage());
    }
}
