package anteater.detect;

import java.io.IOException;

/**
 * A snapshot that is intact but was saved under other sizing options (a history length, a window, a number of bins):
 * its state cannot be fitted to the task's new options. The task was redefined on purpose, so the agent starts the
 * task with empty state instead of failing every start (Kapacitor keeps a task's snapshot until it is deleted).
 */
public final class StateShapeChanged extends IOException {
    public StateShapeChanged(String was, String now) {
        super("snapshot was saved with " + was + ", the task now has " + now);
    }
}
