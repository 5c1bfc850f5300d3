package anteater.udf;

import anteater.udf.proto.Udf;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Watches the tags of the points in the first windows of each group, for the sign of several series in one group that
 * times alone miss: Kapacitor keeps each point's own tags in a window, so a stream task without {@code .groupBy()} over
 * a fleet hands windows whose points carry host=a and host=b, whether or not the hosts' timestamps coincide. The read
 * loop decodes such a window's points in full (tags included) instead of on its fast path; after {@link #WINDOWS}
 * windows of a group it goes back to the fast path but for one window in {@link #RECHECK}, and once a difference is
 * seen, for good.
 */
final class SeriesTags {
    /** Windows of a group whose points are compared: a script's grouping shows in its first windows. */
    static final int WINDOWS = 3;
    /**
     * After its first windows, every this many windows of a group are compared too: a host that starts sending to a
     * task without {@code .groupBy()} later (a machine joining the fleet) shows only then. 1 % of windows decoded in full.
     */
    static final int RECHECK = 100;
    /** A group found mixed: said once, never watched again. */
    private static final int DONE = -1;
    /** Groups remembered per connection (about 100 bytes each); groups beyond it are not watched. */
    static final int MAX_GROUPS = 10_000;

    /** Windows begun per group (a one-element array, counted in place: no put or boxing per window), or DONE. */
    private final Map<String, int[]> watched = new HashMap<>();
    private boolean watching;
    private Map<String, String> first;
    private String difference;
    private String tag;

    /** A window of this group begins: whether its points' tags are to be compared. */
    boolean begin(String groupKey) {
        first = null;
        difference = null;
        int[] seen = watched.get(groupKey);
        if (seen == null) {
            if (watched.size() >= MAX_GROUPS) return watching = false;
            watched.put(groupKey, seen = new int[1]);
        }
        int n = seen[0];
        if (n == DONE) return watching = false;
        seen[0] = n == Integer.MAX_VALUE ? WINDOWS : n + 1;
        return watching = n < WINDOWS || n % RECHECK == 0;
    }

    boolean watching() { return watching; }

    void point(Udf.Point p) {
        if (!watching || difference != null) return;
        Map<String, String> tags = p.getTagsMap();
        if (first == null) {
            first = tags;
            return;
        }
        if (!tags.equals(first)) {
            java.util.List<String> d = differing(first, tags);
            tag = d.get(0);
            difference = describe(first, tags, d);
        }
    }

    /**
     * The window ends: notes on it the tags that told its points apart, if any. A group found mixed is not watched
     * again.
     */
    void end(String groupKey, anteater.detect.Window w) {
        if (difference != null) {
            w.noteMixedTags(tag, difference);
            int[] seen = watched.get(groupKey);
            if (seen != null) seen[0] = DONE;
        }
        watching = false;
        first = null;
        difference = null;
        tag = null;
    }

    /** The tags whose values differ between {@code a} and {@code b} (absent counts as a value), by name. */
    private static java.util.List<String> differing(Map<String, String> a, Map<String, String> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        java.util.List<String> d = new java.util.ArrayList<>();
        for (String k : keys) if (!java.util.Objects.equals(a.get(k), b.get(k))) d.add(k);
        return d;
    }

    /** The first tag (by name) whose value differs, with both values, and how many others differ. */
    static String describe(Map<String, String> a, Map<String, String> b) {
        return describe(a, b, differing(a, b));
    }

    private static String describe(Map<String, String> a, Map<String, String> b, java.util.List<String> d) {
        String key = d.get(0);
        String s = key + ": " + quoted(a.get(key)) + ", " + quoted(b.get(key));
        int others = d.size() - 1;
        return others > 0 ? s + " (and " + others + " other tag" + (others > 1 ? "s" : "") + ")" : s;
    }

    private static String quoted(String v) {
        return v == null ? "(none)" : "'" + v + "'";
    }
}
