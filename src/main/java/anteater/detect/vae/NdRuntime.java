package anteater.detect.vae;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ND4J's process settings, made once before ND4J first loads (by the first VAE task, model file or training):
 * <ul>
 * <li>Threads. ND4J's default (one OpenMP and BLAS thread per core, spinning) makes these small nets 5 to 15 times
 * slower on a busy 2-core machine, so unless OMP_NUM_THREADS is set we use {@code anteater.nd4j.threads} threads
 * (default 1).</li>
 * <li>Native memory. ND4J's arrays live outside the heap and are freed only when the garbage collector finds their
 * Java handles; JavaCPP forces a collection when the process's RSS passes its {@code maxPhysicalBytes}, by default 4 x
 * {@code -Xmx} (1 GB at the README's {@code -Xmx256m}), so a task with many groups learning online grew to about 1
 * GB. Unless the user sets {@code org.bytedeco.javacpp.maxPhysicalBytes}, it is {@code -Xmx} + {@link #NATIVE_ALLOWANCE}
 * (567 MB at {@code -Xmx256m} with the serial collector, whose heap bound is 247 MB).</li>
 * </ul>
 */
public final class NdRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(NdRuntime.class);
    /** JavaCPP's setting, in its two spellings (the lower-case one is read first, the camel-case one wins). */
    static final String LIMIT = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String LIMIT_LOWER = "org.bytedeco.javacpp.maxphysicalbytes";
    /**
     * What the process may hold outside the heap before JavaCPP collects: the JVM, ND4J's libraries, the arrays of
     * scoring and of the trainings running. At {@code -Xmx256m}, 8 to 64 groups learning online peaked at 626 to 659 MB
     * of RSS with this (842 to 1,020 MB without it); trainings began to fail (and were retried) with a limit of 350 MB.
     */
    static final long NATIVE_ALLOWANCE = 320L << 20;
    private static boolean done;

    private NdRuntime() {
    }

    public static synchronized void configure() {
        if (done) return;
        done = true;
        String limit = limitSetting(Runtime.getRuntime().maxMemory(), System.getProperty(LIMIT), System.getProperty(LIMIT_LOWER));
        if (limit != null) System.setProperty(LIMIT, limit);
        int n = System.getenv("OMP_NUM_THREADS") != null ? -1 : Math.max(1, Integer.getInteger("anteater.nd4j.threads", 1));
        try {
            if (n > 0) {
                Nd4j.getEnvironment().setMaxThreads(n);
                Nd4j.getEnvironment().setMaxMasterThreads(n);
                org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
                Nd4j.factory().blas().setMaxThreads(n);
            }
            LOG.info("ND4J: {}, native memory limit {} MB of process RSS ({})", n > 0 ? n + " thread" + (n == 1 ? "" : "s")
                    : "OMP_NUM_THREADS threads", org.bytedeco.javacpp.Pointer.maxPhysicalBytes() >> 20,
                    limit != null ? "-Xmx + " + (NATIVE_ALLOWANCE >> 20) + " MB; -D" + LIMIT + " to change" : "-D" + LIMIT);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("could not set ND4J threads: {}", e.toString());
        }
    }

    /**
     * The value to give JavaCPP's {@link #LIMIT}, or null to leave it: the user's setting in either spelling (even
     * blank, which JavaCPP reads as its default) is theirs; so is a heap without a bound (JavaCPP's default then).
     */
    static String limitSetting(long maxHeap, String camel, String lower) {
        if (camel != null || lower != null || maxHeap > Long.MAX_VALUE - NATIVE_ALLOWANCE) return null;
        return Long.toString(maxHeap + NATIVE_ALLOWANCE);
    }
}
