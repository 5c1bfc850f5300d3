package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A closed vae task interrupts its training thread (shutdownNow); the training must stop then, not run its remaining
 * epochs (in socket mode other tasks share the cores).
 */
class VaeCloseTest {
    @Test
    void anInterruptedTrainingStopsWithinAMiniBatch() throws Exception {
        VaeConfig c = new VaeConfig(new int[] {16}, 3, 100_000, 1e-3, 64, 100_000, 0.2, 42, VaeConfig.DEFAULT_CLIP, 1);
        double[][] x = Synthetic.rows(4000, 3);
        AtomicInteger epochs = new AtomicInteger();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                VaeTrainer.train(x, Synthetic.METRICS, c, (e, n, tl, vl, b) -> {
                    epochs.set(e);
                    return true;
                });
            } catch (Throwable e) {
                ended.set(e);
            }
        }, "vae-train-test");
        t.setDaemon(true);
        t.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (epochs.get() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(epochs.get() >= 2, "training runs");
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive(), "still training " + epochs.get() + " epochs in, 10 s after the interrupt");
        assertInstanceOf(CancellationException.class, ended.get());
    }
}
