package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gzip file is read as gzip whatever its name: named {@code .csv} (a gzip copied to the wrong name) it was read
 * as text and refused with "column 2 has no name"; named {@code .CSV.GZ} it was taken for CSV and not unzipped.
 */
class GzipInputTest {

    static Path gzip(Path p, String text) throws Exception {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void gzipIsToldByItsBytes(@TempDir Path dir) throws Exception {
        String csv = "a,b\n1,2\n3,4\n";
        for (String name : List.of("named.csv", "UPPER.CSV.GZ")) {
            TrainingData.Table t = TrainingData.read(gzip(dir.resolve(name), csv));
            assertEquals(List.of("a", "b"), t.metrics(), name);
            assertArrayEquals(new double[] {3, 4}, t.rows()[1], name);
        }
        TrainingData.Table lp = TrainingData.read(gzip(dir.resolve("points.lp"), "cpu u=1 1\ncpu u=2 2\n"));
        assertEquals(List.of("u"), lp.metrics());
        assertEquals(2, lp.rows().length);
        Files.writeString(dir.resolve("plain.csv.gz"), csv); // plain text named .gz still reads
        assertEquals(2, TrainingData.read(dir.resolve("plain.csv.gz")).rows().length);
    }
}
