package anteater.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch from Kapacitor (a window of one group): its identity and the values of each field, column-wise.
 */
public final class Window {
    private String name;
    private String group;
    private Map<String, String> tags;
    private boolean byName;
    private final Map<String, Series> series = new LinkedHashMap<>();
    private final int sizeHint;
    private long tmin = Long.MAX_VALUE;
    private long tmax = Long.MIN_VALUE;
    private long newestPoint = Long.MIN_VALUE;
    private int points;
    private long values;
    private String mixedTag;
    private String mixedTags;

    public Window(String name, String group, Map<String, String> tags, boolean byName, int sizeHint) {
        this.name = name;
        this.group = group;
        this.tags = tags;
        this.byName = byName;
        this.sizeHint = sizeHint;
    }

    /** Counts a point and widens the window's time span. */
    public void notePoint(long timeNs) {
        points++;
        if (timeNs < tmin) tmin = timeNs;
        if (timeNs > tmax) tmax = timeNs;
        if (timeNs > newestPoint) newestPoint = timeNs;
    }

    public void add(String field, long timeNs, double value) {
        values++;
        Series s = series.get(field);
        if (s == null) {
            // the batch size fits a field of every point; a field first seen later may be sparse (a batch of n points
            // with n distinct fields would otherwise reserve n x n values): it starts at the smallest and grows
            s = new Series(field, series.isEmpty() ? sizeHint : 0);
            series.put(field, s);
        }
        s.add(timeNs, value);
    }

    /** Called once the EndBatch arrives: its name, group, tags and tmax are authoritative. */
    public void end(String endName, String endGroup, Map<String, String> endTags, boolean endByName, long endTmax) {
        if (endName != null && !endName.isEmpty()) name = endName;
        if (endGroup != null && !endGroup.isEmpty()) group = endGroup;
        if (endTags != null && !endTags.isEmpty()) tags = endTags;
        byName = byName || endByName;
        if (endTmax != 0) tmax = endTmax;
        if (points == 0) tmin = tmax;
    }

    public String name() { return name; }
    public String group() { return group; }
    public Map<String, String> tags() { return Collections.unmodifiableMap(tags); }
    public boolean byName() { return byName; }
    public long tmax() { return tmax; }
    public long tmin() { return tmin; }
    /** The newest point's time (Long.MIN_VALUE without points): unlike {@link #tmax()}, not replaced by the EndBatch. */
    public long newestPoint() { return newestPoint; }
    public int points() { return points; }

    /** Values added (finite or not, all fields), for memory budgets: counted as they come, not by walking the series. */
    public long values() { return values; }
    /** Distinct fields seen, each a column of its own. */
    public int fields() { return series.size(); }
    public Series series(String field) { return series.get(field); }
    public Map<String, Series> allSeries() { return Collections.unmodifiableMap(series); }

    /**
     * Notes that this window's points carry different values of {@code tag} ({@code difference}: {@code "host: 'a',
     * 'b'"}): several series in one group, seen by the reader of the points (which alone has their tags).
     */
    public void noteMixedTags(String tag, String difference) {
        mixedTag = tag;
        mixedTags = difference;
    }
    /** The first tag that told this window's points apart, or null (not seen, or not looked for). */
    public String mixedTag() { return mixedTag; }
    /** That tag with the two values seen, and how many other tags differed. */
    public String mixedTags() { return mixedTags; }

    /** A key that tells groups apart: Kapacitor's group id, else name and tags. */
    public String groupKey() {
        if (group != null && !group.isEmpty()) return group;
        return name + "|" + new java.util.TreeMap<>(tags);
    }
}
