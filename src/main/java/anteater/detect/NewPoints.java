package anteater.detect;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Overlapping windows ({@code .window().period(10m).every(1m)}) hand a detector each point as many times as windows
 * hold it. A detector that judges points one by one (and learns from them: knncad's patterns, robustz's history,
 * the VAE's lagged steps and training rows) must see each once, in time order. This keeps per group the newest
 * point time handed on and cuts from the next window what is not newer: its verdict covers the points that window
 * adds. Held in memory only: after a restart the first window is handed on whole. At most {@code maxGroups} groups
 * are remembered, the least recently seen forgotten first (a forgotten group's next window is handed on whole).
 */
public final class NewPoints {
    private static final Logger LOG = LoggerFactory.getLogger(NewPoints.class);

    private final LinkedHashMap<String, Long> newest;
    private final String owner;
    private boolean told;
    private long cut;

    public NewPoints(int maxGroups, String owner) {
        this.owner = owner;
        this.newest = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > maxGroups;
            }
        };
    }

    /** Values cut so far (points already handed on in an earlier window, or older than those). */
    public long cut() {
        return cut;
    }

    /** The window itself when every point in it is newer than the group's last window, else a copy without the rest. */
    public Window of(Window w) {
        String key = w.groupKey();
        Long before = newest.get(key);
        long last = Long.MIN_VALUE;
        int old = 0;
        for (Series s : w.allSeries().values()) {
            for (int i = 0; i < s.size(); i++) {
                long t = s.time(i);
                if (t > last) last = t;
                if (before != null && t <= before) old++;
            }
        }
        if (last != Long.MIN_VALUE) newest.put(key, before == null ? last : Math.max(before, last));
        if (old == 0) return w;
        cut += old;
        if (!told) {
            told = true;
            LOG.info("{}: windows overlap (group {}: {} values of this window were in the previous one, up to {}); each "
                    + "value is judged once, in the first window that holds it: a window's verdict covers the values it "
                    + "adds. Set .every() equal to .period() for verdicts over whole windows", owner, key, old,
                    java.time.Instant.ofEpochSecond(0, before));
        }
        return after(w, before);
    }

    /** A copy of the window with only the values after {@code cutoff}; its point count is the largest of a field's. */
    static Window after(Window w, long cutoff) {
        int points = 0;
        Window out = new Window(w.name(), w.group(), w.tags(), w.byName(), 0);
        for (Series s : w.allSeries().values()) {
            int kept = 0;
            for (int i = 0; i < s.size(); i++) {
                if (s.time(i) > cutoff) {
                    out.add(s.field(), s.time(i), s.value(i));
                    kept++;
                }
            }
            points = Math.max(points, kept);
        }
        long tmin = Long.MAX_VALUE;
        for (Series s : out.allSeries().values()) for (int i = 0; i < s.size(); i++) tmin = Math.min(tmin, s.time(i));
        for (int i = 0; i < points; i++) out.notePoint(tmin);
        out.end(null, null, null, false, w.tmax());
        return out;
    }
}
