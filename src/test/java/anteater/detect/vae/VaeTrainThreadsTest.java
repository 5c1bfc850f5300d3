package anteater.detect.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.OptionException;
import anteater.detect.Options;
import anteater.detect.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Option trainThreads: a task's groups train side by side instead of in turn. */
class VaeTrainThreadsTest {
    static Options options(long threads) throws OptionException {
        return VaeDetectorTest.onlineOptions(1, 0).add("trainThreads", threads);
    }

    /** Two groups' first trainings, each waiting (up to 30 s) for the other to be running too; counts who met. */
    static int metSideBySide(long threads) throws Exception {
        VaeDetector d = VaeDetector.create(options(threads));
        CyclicBarrier both = new CyclicBarrier(2);
        AtomicInteger met = new AtomicInteger();
        VaeDetector.Trainer real = d.fit;
        d.fit = (rows, metrics, c) -> {
            try {
                both.await(threads > 1 ? 30 : 2, TimeUnit.SECONDS);
                met.incrementAndGet();
            } catch (Exception e) {
                // alone: the other training waits in the queue
            }
            return real.train(rows, metrics, c);
        };
        double[][] x = Synthetic.rows(2000, 3);
        List<Verdict> out = new ArrayList<>();
        try {
            for (int g = 0; g < 2; g++) d.process(VaeQueueFullTest.window("h" + g, 0, x), out);
            assertTrue(d.awaitTraining(120_000));
            for (int g = 0; g < 2; g++) d.process(VaeQueueFullTest.window("h" + g, 1, x), out);
            for (int g = 0; g < 2; g++) assertTrue(d.model("host=h" + g) != null, "group h" + g + " trained");
        } finally {
            d.close();
        }
        return met.get();
    }

    @Test
    void twoThreadsTrainTwoGroupsAtOnce() throws Exception {
        assertEquals(2, metSideBySide(2));
    }

    @Test
    void oneThreadTheDefaultTrainsThemInTurn() throws Exception {
        assertEquals(0, metSideBySide(1));
    }

    @Test
    void aBadThreadCountFailsInitNamingTheOption() {
        OptionException e = assertThrows(OptionException.class, () -> VaeDetector.create(options(0)));
        assertTrue(e.getMessage().contains("trainThreads") && e.getMessage().contains("[1, 64]"), e.getMessage());
    }
}
