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
        if (w.points() == 0) return w;
        String key = w.groupKey();
        Long before = newest.get(key);
        newest.put(key, before == null ? w.newestPoint() : Math.max(before, w.newestPoint()));
        // tmin is the oldest point's time (the EndBatch replaces only tmax): the usual window needs no pass over its values
        if (before == null || w.tmin() > before) return w;
        Window out = new Window(w.name(), w.group(), w.tags(), w.byName(), 0);
        int points = 0;
        long old = 0, tmin = Long.MAX_VALUE, last = Long.MIN_VALUE;
        for (Series s : w.allSeries().values()) {
            int kept = 0;
            for (int i = 0; i < s.size(); i++) {
                long t = s.time(i);
                if (t <= before) {
                    old++;
                    continue;
                }
                out.add(s.field(), t, s.value(i));
                kept++;
                tmin = Math.min(tmin, t);
                last = Math.max(last, t);
            }
            points = Math.max(points, kept);
        }
        if (old == 0) return w; // only points without a finite value were that old
        cut += old;
        if (!told) {
            told = true;
            LOG.info("{}: windows overlap (group {}: {} values of this window were in the previous one, up to {}); each "
                    + "value is judged once, in the first window that holds it: a window's verdict covers the values it "
                    + "adds. Set .every() equal to .period() for verdicts over whole windows", owner, key, old,
                    java.time.Instant.ofEpochSecond(0, before));
        }
        // the copy's point count is the largest of a field's (each point holds at most one value of a field)
        for (int i = 0; i < points; i++) out.notePoint(i == 0 ? tmin : last);
        out.end(null, null, null, false, w.tmax());
        return out;
    }
}
