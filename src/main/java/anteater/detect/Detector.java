package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/** A detector instance serves one task node: every group and field that node sees. Used by one thread. */
public interface Detector {

    /** Judges one window and appends its verdicts (possibly none). */
    void process(Window window, List<Verdict> out);

    /** Writes all state needed to reproduce the next outputs exactly. */
    void save(DataOutputStream out) throws IOException;

    /** Reads state written by {@link #save}; called on a fresh instance made with the same options. */
    void load(DataInputStream in) throws IOException;

    /**
     * What a restore keeps when the task's options changed since the snapshot, for the log line that says so: the
     * state of the fields the new options still test, by default.
     */
    default String keptAcrossChangedOptions() {
        return "state of matching fields is kept";
    }

    /**
     * Whether the detector judges values one by one and so must see each value once when windows overlap (see
     * {@link NewPoints}); false for a detector that tests each window as a whole sample.
     */
    default boolean judgesEachValueOnce() {
        return true;
    }

    /**
     * A detector of the same options with empty state, for a restore or a reset: by default made from the options
     * again; a detector holding what is costly to make again (a model read from a file) passes it on.
     */
    default Detector emptyCopy(Options options) throws OptionException {
        return Detectors.create(options);
    }

    /** Releases background work; called once at the end of the task. */
    default void close() {
    }
}
