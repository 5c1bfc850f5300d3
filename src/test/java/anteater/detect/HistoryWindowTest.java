package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The t-test's building blocks on their own (mutation testing found them checked only through detectors' verdicts):
 * the history ring, its newer-values rule for overlapping windows, the group table's bound, and a window's identity.
 */
class HistoryWindowTest {

    static Series series(long firstSec, int n, double firstValue) {
        Series s = new Series("v", n);
        for (int i = 0; i < n; i++) s.add((firstSec + i) * 1_000_000_000L, firstValue + i);
        return s;
    }

    @Test
    void theRingKeepsTheNewestValuesInOrderAcrossItsGrowthAndWrap() {
        History h = new History(100); // starts with room for 64, grows to 100
        for (int i = 0; i < 100; i++) h.add(i);
        assertEquals(100, h.size());
        for (int i = 0; i < 100; i++) assertEquals(i, h.get(i), 0.0, "value " + i);
        for (int i = 100; i < 130; i++) h.add(i); // the oldest 30 go
        assertEquals(100, h.size());
        assertEquals(30.0, h.get(0), 0.0);
        assertEquals(129.0, h.get(99), 0.0);
        double[] mv = h.meanAndVariance();
        assertEquals(79.5, mv[0], 1e-9);
        assertEquals(129.0, h.maxAbs(), 0.0);
        h.add(-500);
        assertEquals(500.0, h.maxAbs(), 0.0);
        assertEquals(0.0, new History(2).maxAbs(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new History(1));
        new History(2); // the smallest that can hold a spread
    }

    @Test
    void overlappingWindowsAddEachValueOnce() {
        History h = new History(1000);
        h.addNewer(series(0, 10, 0)); // times 0..9
        assertEquals(10, h.size());
        h.addNewer(series(5, 10, 5)); // times 5..14: only 10..14 are new; 9, the newest so far, is not added again
        assertEquals(15, h.size());
        for (int i = 0; i < 15; i++) assertEquals(i, h.get(i), 0.0);
        h.addNewer(series(14, 1, 14)); // the same newest point again
        assertEquals(15, h.size());
    }

    @Test
    void aSavedHistoryLoadsTheSameAndABadLengthIsRefused() throws IOException {
        History h = new History(10);
        for (int i = 0; i < 12; i++) h.add(i);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        h.save(new DataOutputStream(b));
        History back = History.load(new DataInputStream(new ByteArrayInputStream(b.toByteArray())), 10);
        assertEquals(10, back.size());
        for (int i = 0; i < 10; i++) assertEquals(h.get(i), back.get(i), 0.0);
        assertEquals(0, History.load(new DataInputStream(new ByteArrayInputStream(new byte[4])), 10).size(), "length 0 is fine");
        byte[] negative = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertTrue(assertThrows(IOException.class, () -> History.load(new DataInputStream(new ByteArrayInputStream(negative)), 10))
                .getMessage().contains("bad history length -1"));
    }

    @Test
    void theGroupTableDropsTheLeastRecentlySeenAndSaysWhichWasDropped() throws IOException {
        List<String> dropped = new ArrayList<>();
        GroupTable<String> t = new GroupTable<>(2, "test", dropped::add);
        t.getOrCreate("a", k -> "state-a");
        t.getOrCreate("b", k -> "state-b");
        assertSame("state-a", t.getOrCreate("a", k -> "other")); // a seen again: b is now the least recent
        t.getOrCreate("c", k -> "state-c");
        assertEquals(List.of("state-b"), dropped);
        assertEquals(1, t.evicted());
        assertEquals(2, t.size());
        assertNull(t.get("b"));
        assertEquals("state-a", t.get("a"));

        ByteArrayOutputStream b = new ByteArrayOutputStream();
        t.save(new DataOutputStream(b), DataOutputStream::writeUTF);
        GroupTable<String> back = new GroupTable<>(10, "test", s -> { });
        back.getOrCreate("stale", k -> "x"); // a load replaces what was there
        back.load(new DataInputStream(new ByteArrayInputStream(b.toByteArray())), in -> in.readUTF());
        assertEquals(2, back.size());
        assertNull(back.get("stale"));
        assertEquals("state-c", back.get("c"));
    }

    @Test
    void theEndBatchNamesTheWindowAndAnEmptyOneKeepsWhatTheBeginSaid() {
        Window w = new Window("cpu", "g1", Map.of("host", "a"), false, 4);
        w.notePoint(5);
        w.notePoint(2);
        w.notePoint(9);
        assertEquals(2, w.tmin());
        assertEquals(9, w.tmax());
        assertEquals(9, w.newestPoint());
        assertEquals(3, w.points());
        w.end("", "", Map.of(), false, 0); // nothing new: the begin's identity and the points' span stand
        assertEquals("cpu", w.name());
        assertEquals("g1", w.group());
        assertEquals(Map.of("host", "a"), w.tags());
        assertEquals(9, w.tmax());
        w.end("mem", "g2", Map.of("host", "b"), true, 20);
        assertEquals("mem", w.name());
        assertEquals("g2", w.group());
        assertEquals(Map.of("host", "b"), w.tags());
        assertTrue(w.byName());
        assertEquals(20, w.tmax());
        assertEquals(9, w.newestPoint(), "the newest point is the points', not the EndBatch's");
        assertEquals("g2", w.groupKey());

        Window empty = new Window("cpu", "", Map.of("host", "a"), false, 0);
        empty.end(null, null, null, false, 30);
        assertEquals(30, empty.tmin(), "a window without points spans its end only");
        assertEquals("cpu|{host=a}", empty.groupKey(), "no group id: name and tags");
        empty.add("x", 1, 1.0);
        empty.add("x", 2, Double.NaN);
        empty.add("y", 2, 3.0);
        assertEquals(3, empty.values());
        assertEquals(2, empty.fields());
    }
}
