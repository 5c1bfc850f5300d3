package anteater.detect;

import java.util.Locale;

/**
 * The warning a detector gives at init when {@code maxGroups} x fields of its per-field state could take more than
 * half the heap. Not a refusal: most tasks see far fewer groups than their bound, and a state is allocated only at
 * a field's first value.
 */
final class StateMemory {
    private StateMemory() {
    }

    /**
     * Logs {@link #warning} against this JVM's heap, if there is one, once for the options: a restore creates the
     * detector again from the same options.
     */
    static void check(org.slf4j.Logger log, Options o, String detector, long maxGroups, int fields, long eachBytes, String sizing) {
        String w = warning(detector, maxGroups, fields, eachBytes, sizing, Runtime.getRuntime().maxMemory());
        if (w != null && o.firstTime(w)) log.warn(w);
    }

    /** The warning, or null when the states fit; {@code sizing} names the detector's own option that sizes them. */
    static String warning(String detector, long maxGroups, int fields, long eachBytes, String sizing, long heap) {
        long total = maxGroups * fields * eachBytes;
        if (total <= heap / 2) return null;
        return String.format(Locale.ROOT, "%s: up to %d groups x %d fields of %d KB each can take %d MB, more than half "
                + "the heap (%d MB); lower maxGroups%s or raise -Xmx", detector, maxGroups, fields, eachBytes / 1024,
                total / (1024 * 1024), heap / (1024 * 1024), sizing == null ? "" : " or " + sizing);
    }
}
