package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Series;
import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The read loop's fast path (every point of a group after its first {@link SeriesTags#WINDOWS} windows) must put into a
 * window what the full parse and {@link Agent#addPoint} put: the same fields, times and values, double and int.
 */
class PointDecoderTest {

    static Window window() {
        return new Window("m", "", Map.of(), false, 4);
    }

    static void assertSameWindow(Window expected, Window actual) {
        assertEquals(expected.points(), actual.points(), "points");
        assertEquals(expected.allSeries().keySet(), actual.allSeries().keySet(), "fields");
        for (Map.Entry<String, Series> e : expected.allSeries().entrySet()) {
            Series a = actual.series(e.getKey());
            Series x = e.getValue();
            assertEquals(x.size(), a.size(), e.getKey());
            assertArrayEquals(Arrays.copyOf(x.timesArray(), x.size()), Arrays.copyOf(a.timesArray(), a.size()), e.getKey());
            assertArrayEquals(Arrays.copyOf(x.valuesArray(), x.size()), Arrays.copyOf(a.valuesArray(), a.size()), e.getKey());
        }
    }

    @Test
    void decodesWhatTheFullParseReads() throws Exception {
        PointDecoder d = new PointDecoder();
        Window fast = window();
        Window full = window();
        // 12 distinct names (more than the decoder's 8 cached ones), up to 7 fields a point, doubles and ints
        for (int p = 0; p < 40; p++) {
            Map<String, Double> doubles = new LinkedHashMap<>();
            Map<String, Long> ints = new LinkedHashMap<>();
            for (int k = 0; k < 4; k++) doubles.put("d" + ((p + k) % 8), p * 10.0 + k + 0.25);
            for (int k = 0; k < 3; k++) ints.put("i" + ((p + k) % 4), (long) (p * 100 - k));
            Udf.Request r = Frames.point(1_000_000_000L * (p + 1), Map.of("host", "a"), doubles, ints);
            byte[] b = r.toByteArray();
            assertTrue(PointDecoder.isPoint(b, b.length));
            assertTrue(d.decode(b, b.length, fast), "a frame of one Point is decoded on the fast path");
            Agent.addPoint(full, r.getPoint());
        }
        assertEquals(12, full.fields());
        assertSameWindow(full, fast);
    }

    @Test
    void onlyAPointFrameIsTakenForOne() throws Exception {
        for (Udf.Request r : new Udf.Request[] {Frames.keepalive(5), Frames.info(), Frames.begin("m", Map.of(), 1),
                Frames.end("m", Map.of(), 1)}) {
            byte[] b = r.toByteArray();
            assertTrue(!PointDecoder.isPoint(b, b.length), r.getMessageCase().toString());
        }
        assertTrue(!PointDecoder.isPoint(new byte[] {(byte) 0x8A}, 1), "one byte is no Point frame");
        assertTrue(!PointDecoder.isPoint(new byte[] {(byte) 0x8A, 0x02}, 2));
        assertTrue(!PointDecoder.isPoint(new byte[] {(byte) 0x8B, 0x01}, 2));
        // a Point followed by another Request field: left to the full parse (the oneof's last message wins)
        byte[] two = concat(Frames.point(1, Map.of(), Map.of("x", 1.0), Map.of()).toByteArray(), Frames.keepalive(2).toByteArray());
        Window w = window();
        assertTrue(!new PointDecoder().decode(two, two.length, w));
        assertEquals(0, w.points(), "nothing added when the frame is left to the full parse");
        byte[] notPoint = Frames.keepalive(2).toByteArray();
        assertTrue(!new PointDecoder().decode(notPoint, notPoint.length, w));
        assertEquals(0, w.points());
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
