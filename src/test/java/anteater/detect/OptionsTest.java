package anteater.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.vae.VaeDetector;
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
}
