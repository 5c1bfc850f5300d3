package anteater.detect.vae;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ND4J's thread count. Its default (one OpenMP and BLAS thread per core, spinning) makes these small nets 5 to 15
 * times slower on a busy 2-core machine, so unless OMP_NUM_THREADS is set we use {@code anteater.nd4j.threads}
 * threads (default 1).
 */
public final class NdThreads {
    private static final Logger LOG = LoggerFactory.getLogger(NdThreads.class);
    private static boolean done;

    private NdThreads() {
    }

    public static synchronized void configure() {
        if (done) return;
        done = true;
        if (System.getenv("OMP_NUM_THREADS") != null) return;
        int n = Math.max(1, Integer.getInteger("anteater.nd4j.threads", 1));
        try {
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("could not set ND4J threads: {}", e.toString());
        }
    }
}
