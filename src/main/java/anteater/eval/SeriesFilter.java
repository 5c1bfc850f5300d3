package anteater.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The series an {@code eval --only} list selects. A listed name that matches no series of the data folder is an
 * error, not a silent omission: a misspelt name would otherwise drop that series from every table and its means
 * (or, alone, give an empty table of NaN means) with exit code 0.
 */
final class SeriesFilter {
    private final Set<String> wanted;

    private SeriesFilter(Set<String> wanted) {
        this.wanted = wanted;
    }

    /** From the comma-separated list (null or empty: every series). */
    static SeriesFilter of(String only) {
        if (only == null || only.isBlank()) return new SeriesFilter(null);
        Set<String> w = new LinkedHashSet<>();
        for (String s : only.split(",")) if (!s.isBlank()) w.add(s.trim());
        return new SeriesFilter(w.isEmpty() ? null : w);
    }

    boolean accepts(String name) {
        return wanted == null || wanted.contains(name);
    }

    /** Refuses the list when one of its names is not among the series found in {@code dir}. */
    void checkAllFound(Collection<String> found, Object dir) throws IOException {
        if (wanted == null) return;
        List<String> missing = new ArrayList<>();
        for (String w : wanted) if (!found.contains(w)) missing.add(w);
        if (missing.isEmpty()) return;
        List<String> some = new ArrayList<>(found);
        String known = some.size() <= 10 ? String.join(", ", some)
                : String.join(", ", some.subList(0, 10)) + ", ... (" + some.size() + " in all)";
        throw new IOException("--only: no series named " + String.join(", ", missing) + " in " + dir + " (series there: "
                + known + ")");
    }
}
