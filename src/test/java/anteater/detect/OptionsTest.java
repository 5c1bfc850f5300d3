package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.vae.VaeDetector;
import anteater.detect.vae.VaeSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks every detector shares: the required fields and the group bound, with one message for all. */
class OptionsTest {
    interface Factory {
        Detector create(Options o) throws OptionException;
    }

    static final List<Factory> FIELD_DETECTORS =
            List.of(TTestDetector::create, RobustZDetector::create, EntropyDetector::create, KnnCadDetector::create);

    @Test
    void everyFieldDetectorNeedsANonEmptyField() throws Exception {
        for (Factory f : FIELD_DETECTORS) {
            OptionException none = assertThrows(OptionException.class, () -> f.create(Options.of("maxGroups", 5L)));
            assertTrue(none.getMessage().contains("option 'field' is required"), none.getMessage());
            OptionException empty = assertThrows(OptionException.class, () -> f.create(Options.of("field", "")));
            assertEquals("option 'field': empty field name", empty.getMessage());
            OptionException secondEmpty = assertThrows(OptionException.class,
                    () -> f.create(Options.of("field", "value", "field", "")));
            assertEquals("option 'field': empty field name", secondEmpty.getMessage());
            f.create(Options.of("field", "value", "field", "other"));
        }
    }

    @Test
    void everyDetectorBoundsItsGroups() throws Exception {
        for (Factory f : FIELD_DETECTORS) {
            OptionException zero = assertThrows(OptionException.class, () -> f.create(Options.of("field", "value", "maxGroups", 0L)));
            assertEquals("option 'maxGroups' must be >= 1, got 0", zero.getMessage());
        }
        OptionException vae = assertThrows(OptionException.class, () -> VaeDetector.create(Options.of("maxGroups", -3L)));
        assertEquals("option 'maxGroups' must be >= 1, got -3", vae.getMessage());
        assertEquals(Integer.MAX_VALUE, Options.of("maxGroups", 1L << 40).maxGroups());
        assertEquals(1000, new Options().maxGroups());
    }

    @Test
    void rangeChecksNameTheOptionTheRangeAndTheValue() throws Exception {
        OptionException dim = assertThrows(OptionException.class, () -> Options.of("kDim", 0L).intIn("kDim", 1, 1000, "values", ""));
        assertEquals("option 'kDim' must be in [1, 1000] values, got 0", dim.getMessage());
        assertEquals(1000, Options.of("kDim", 1000L).intIn("kDim", 1, 1000, "values", ""));
        OptionException persist = assertThrows(OptionException.class,
                () -> Options.of("persist", 1_000_001L).intIn("persist", 0, 1_000_000, "steps", "0: off"));
        assertEquals("option 'persist' must be in [0, 1000000] steps (0: off), got 1000001", persist.getMessage());

        OptionException hold = assertThrows(OptionException.class, () -> Options.of("zHoldoff", -1L).intAtLeast("zHoldoff", 0, "values", ""));
        assertEquals("option 'zHoldoff' must be >= 0 values, got -1", hold.getMessage());
        assertEquals(Integer.MAX_VALUE, Options.of("zHoldoff", 1L << 40).intAtLeast("zHoldoff", 0, "values", ""));

        assertEquals(1.0, Options.of("kThreshold", 1.0).doubleIn("kThreshold", 0, true, 1, false, ""));
        OptionException open = assertThrows(OptionException.class, () -> Options.of("kThreshold", 0.0).doubleIn("kThreshold", 0, true, 1, false, ""));
        assertEquals("option 'kThreshold' must be in (0, 1], got 0.0", open.getMessage());
        assertThrows(OptionException.class, () -> Options.of("alpha", 1.0).doubleIn("alpha", 0, true, 1, true, ""));
        assertThrows(OptionException.class, () -> Options.of("alpha", Double.NaN).doubleIn("alpha", 0, true, 1, true, ""));

        assertEquals(0.0, Options.of("eSpike", 0.0).doubleIn("eSpike", 0, false, Double.POSITIVE_INFINITY, true, "0: off"));
        OptionException spike = assertThrows(OptionException.class,
                () -> Options.of("eSpike", -1.0).doubleIn("eSpike", 0, false, Double.POSITIVE_INFINITY, true, "0: off"));
        assertEquals("option 'eSpike' must be a number >= 0 (0: off), got -1.0", spike.getMessage());
        for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NaN}) {
            assertThrows(OptionException.class,
                    () -> Options.of("eSpike", bad).doubleIn("eSpike", 0, false, Double.POSITIVE_INFINITY, true, "0: off"));
        }
        OptionException clip = assertThrows(OptionException.class, () -> VaeSettings.config(Options.of("clip", 0.0)));
        assertEquals("option 'clip' must be a number > 0, got 0.0", clip.getMessage());
    }

    @Test
    void detectorsUseTheRangeChecks() {
        OptionException size = assertThrows(OptionException.class, () -> TTestDetector.create(Options.of("field", "v", "size", 1L)));
        assertEquals("option 'size' must be in [2, 10000000] values, got 1", size.getMessage());
        OptionException minHistory = assertThrows(OptionException.class,
                () -> RobustZDetector.create(Options.of("field", "v", "zHistory", 50L, "zMinHistory", 51L)));
        assertEquals("option 'zMinHistory' must be in [3, 50] values (at most zHistory), got 51", minHistory.getMessage());
        OptionException lags = assertThrows(OptionException.class, () -> VaeSettings.config(Options.of("lags", 0L)));
        assertEquals("option 'lags' must be in [1, 1000] steps, got 0", lags.getMessage());
        OptionException window = assertThrows(OptionException.class, () -> EntropyDetector.create(Options.of("field", "v", "eWindow", 1L)));
        assertEquals("option 'eWindow' must be in [2, 100000] values, got 1", window.getMessage());
    }

    @Test
    void aFieldNamedTwiceIsRefused() throws OptionException {
        OptionException e = assertThrows(OptionException.class,
                () -> Options.of("field", "value", "field", "value").fields());
        assertTrue(e.getMessage().contains("'value' is named twice"), e.getMessage());
        assertEquals(List.of("a", "b"), Options.of("field", "a", "field", "b").fields());
    }

    @Test
    void eachDetectorsOptionsHaveItAsOwner() {
        assertEquals("robustz", OptionTable.owner("zHistory"));
        assertEquals("ttest", OptionTable.owner("size"));
        assertEquals("vae", OptionTable.owner("lags"));
        assertEquals("knncad", OptionTable.owner("kDim"));
        assertEquals("entropy", OptionTable.owner("eSpike"));
        assertEquals(null, OptionTable.owner("field"), "read by every detector");
        assertEquals(null, OptionTable.owner("topic"), "an events option");
        assertEquals(null, OptionTable.owner("maxGroups"));
        for (OptionSpec s : OptionTable.all()) {
            String o = OptionTable.owner(s.name());
            assertTrue(o == null || Detectors.names().contains(o), s.name());
        }
    }

    /** What a TICKscript author sees for a value of the wrong type, a second value, and the ends of a range. */
    @Test
    void wrongTypesRepeatsAndRangeEndsAreNamed() throws Exception {
        OptionException type = assertThrows(OptionException.class, () -> Options.of("size", "ten"));
        assertEquals("option 'size' takes one " + OptionKind.INT + " value, got String", type.getMessage());
        OptionException none = assertThrows(OptionException.class, () -> new Options().add("size", null));
        assertTrue(none.getMessage().endsWith("value, got none"), none.getMessage());
        OptionException twice = assertThrows(OptionException.class, () -> Options.of("size", 10L, "size", 20L));
        assertEquals("option 'size' may be given only once", twice.getMessage());
        assertEquals(List.of("a", "b"), Options.of("field", "a", "field", "b").getStrings("field"), "field is repeatable");
        assertEquals(List.of(), new Options().getStrings("field"));

        assertEquals(false, Options.of("zChange", false).getBool("zChange"));
        assertEquals(true, new Options().getBool("zChange"), "its default");
        assertEquals(0, Options.of("zHoldoff", 0L).intAtLeast("zHoldoff", 0, "values", ""), "the lower end is allowed");
        assertEquals(1, Options.of("maxGroups", 1L).maxGroups());

        // range ends print as integers when they are, as decimals otherwise (and from 1e15 on)
        OptionException frac = assertThrows(OptionException.class, () -> Options.of("alpha", 2.0).doubleIn("alpha", 0.5, true, 1, true, ""));
        assertEquals("option 'alpha' must be in (0.5, 1), got 2.0", frac.getMessage());
        OptionException big = assertThrows(OptionException.class, () -> Options.of("alpha", 2.0).doubleIn("alpha", 1e15, false, Double.POSITIVE_INFINITY, true, ""));
        assertEquals("option 'alpha' must be a number >= 1.0E15, got 2.0", big.getMessage());
    }
}
