package anteater.kapacitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Stops processes this JVM started, together with their descendants (kapacitord's UDF JVMs): SIGTERM, a grace
 * period, then SIGKILL. Everything registered is also stopped by a shutdown hook if the JVM exits first (Ctrl-C
 * during the demo, a test run killed by a timeout).
 */
public final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Process p : List.copyOf(LIVE)) stop(p, 2);
        }, "stop-children"));
    }

    private ChildProcesses() {
    }

    public static Process register(Process p) {
        LIVE.add(p);
        return p;
    }

    /** Stops {@code p} and every descendant it has now; returns p's exit code (or -1 if it had to be killed). */
    public static int stop(Process p, long graceSeconds) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        int code = -1;
        try {
            if (p.isAlive()) {
                p.destroy();
                if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
            if (!p.isAlive()) code = p.exitValue();
            for (ProcessHandle h : tree) {
                if (!h.isAlive()) continue;
                h.destroy();
                try {
                    h.onExit().get(graceSeconds, TimeUnit.SECONDS);
                } catch (Exception e) {
                    h.destroyForcibly();
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } finally {
            LIVE.remove(p);
        }
        return code;
    }
}
