package anteater.udf;

import anteater.detect.Series;
import anteater.detect.Window;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once per group when a window's points carry different tags (seen by {@link SeriesTags} in a group's first
 * windows), or when it holds several values of one field at the same time: several series (hosts, devices) in one group, as a TICKscript without {@code .groupBy()} gives for a fleet. Every detector then takes them
 * as one series (robustz, knncad and entropy a sequence that jumps between hosts at every value, the VAE the last
 * value of each step), and nothing said so: with two printers in {@code tick/vae.tick} one printer's values replaced
 * the other's.
 */
final class MergedSeriesCheck {
    private static final Logger LOG = LoggerFactory.getLogger(MergedSeriesCheck.class);
    private static final int MAX_GROUPS_LOGGED = 1000;

    private final Set<String> logged = new HashSet<>();

    void check(Window w) {
        String key = w.groupKey();
        if (logged.size() >= MAX_GROUPS_LOGGED || logged.contains(key)) return;
        String group = w.group() == null || w.group().isEmpty() ? "(no group-by)" : w.group();
        String tags = w.mixedTags();
        if (tags != null) {
            logged.add(key);
            String tag = w.mixedTag();
            LOG.warn("group {} of {}: its points carry different values of tag {}: several series (hosts, devices) are in one"
                    + " group and the detector takes them as one; add .groupBy('{}') (or a .groupBy() of the tags that tell"
                    + " them apart) before @anteater() (logged once)", group, w.name(), tags, tag);
            return;
        }
        for (Series s : w.allSeries().values()) {
            long[] t = s.timesArray();
            double[] v = s.valuesArray();
            int same = 0;
            // a value repeated at its time is the same point delivered twice (a retried write, two InfluxDB nodes
            // behind a relay), not a second series
            for (int i = 1; i < s.size(); i++) if (t[i] == t[i - 1] && v[i] != v[i - 1]) same++;
            if (same == 0) continue;
            logged.add(key);
            LOG.warn("group {} of {}: {} values of field '{}' share their time with another of this window: several series"
                    + " (hosts, devices, measurements) are in one group and the detector takes them as one (the VAE keeps the last value"
                    + " of each step); add a .groupBy() of the tag that tells them apart before @anteater(), or, for"
                    + " measurements sharing a field name, join them with .as() (logged once)",
                    group, w.name(), same, s.field());
            return;
        }
    }
}
