package anteater.rca;

import static anteater.rca.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An Error out of one inference (an OutOfMemoryError reading a huge neighbourhood, a StackOverflowError) must not
 * end the RCA thread: before, the loop caught RuntimeException only, the thread died and every later KPI event
 * waited in the queue for ever (then was dropped as 'queue full').
 */
class RcaThreadErrorTest {

    /** Throws the given Error on its first lookup, then answers from the fixture. */
    static final class FailsOnce implements Topology {
        final GraphTopology fixture = Fixtures.host();
        final AtomicInteger calls = new AtomicInteger();
        final Error error;

        FailsOnce(Error error) {
            this.error = error;
        }

        @Override
        public Neighbourhood around(String entityId, long timeMs, int depth) throws TopologyException {
            if (calls.incrementAndGet() == 1) throw error;
            return fixture.around(entityId, timeMs, depth);
        }

        @Override
        public String describe() {
            return "fails once";
        }
    }

    void laterKpiEventsAreStillInferred(Error error) throws Exception {
        RcaEngineTest.Recorder pub = new RcaEngineTest.Recorder();
        FailsOnce topo = new FailsOnce(error);
        try (RcaEngine e = new RcaEngine(RcaEngineTest.cfg("grace: 0s, on_failure: mark"), topo, pub, System::currentTimeMillis)) {
            e.start();
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, new double[0], "app"));
            RcaEngineTest.await(() -> topo.calls.get() == 1, "the first lookup");
            e.offer(Fixtures.event("m1_cpu", "cpu_usage", T0 + 60_000, 9, new double[0], "sys"));
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0 + 60_000, 8, new double[0], "app"));
            RcaEngineTest.await(() -> pub.sent.size() == 2, "a cause event for each KPI event");
            assertTrue(pub.sent.get(0).json().contains("\"reason\":\"UNAVAILABLE\""), pub.sent.get(0).json());
            assertTrue(pub.sent.get(1).json().contains("m1_cpu"), pub.sent.get(1).json());
            assertEquals(2, e.stats().inferred());
            assertEquals(1, e.stats().failed());
        }
    }

    @Test
    void anOutOfMemoryErrorInALookupDoesNotEndTheRcaThread() throws Exception {
        laterKpiEventsAreStillInferred(new OutOfMemoryError("Java heap space (test)"));
    }

    @Test
    void aStackOverflowErrorInALookupDoesNotEndTheRcaThread() throws Exception {
        laterKpiEventsAreStillInferred(new StackOverflowError());
    }

    @Test
    void anErrorAfterTheLookupDoesNotEndTheRcaThreadEither() throws Exception {
        // the last line of defence, the loop: here the publisher throws an Error once (as an OutOfMemoryError
        // serialising would); the engine gives that event up, counts it failed and goes on
        AtomicInteger publishes = new AtomicInteger();
        RcaEngineTest.Recorder rec = new RcaEngineTest.Recorder();
        anteater.sink.EventPublisher pub = new anteater.sink.EventPublisher() {
            @Override
            public void publish(String topic, String key, String json) {
                if (publishes.incrementAndGet() == 1) throw new StackOverflowError();
                rec.publish(topic, key, json);
            }

            @Override
            public void close(java.time.Duration deadline) {
            }
        };
        try (RcaEngine e = new RcaEngine(RcaEngineTest.cfg("grace: 0s, on_failure: mark"), Fixtures.host(), pub, System::currentTimeMillis)) {
            e.start();
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0, 8, new double[0], "app"));
            RcaEngineTest.await(() -> publishes.get() == 1, "the first publish");
            e.offer(Fixtures.event("m1_sli_1", "sli_rtt", T0 + 60_000, 8, new double[0], "app"));
            RcaEngineTest.await(() -> rec.sent.size() == 1, "the second KPI event's cause event");
            assertEquals(2, e.stats().inferred());
        }
    }
}
