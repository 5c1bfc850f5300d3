package anteater.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.OptionException;
import anteater.detect.Options;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** eval/train -o name=value: typed by the option table; a value of the wrong kind names the option. */
class OptionArgsTest {

    @Test
    void typesValuesByTheOptionTable() throws OptionException {
        Options o = OptionArgs.parse("robustz", List.of("zChange=FALSE", "suppress=5m"));
        assertEquals(false, o.getBool("zChange"));
        assertEquals(Duration.ofMinutes(5), o.getDuration("suppress"));
        assertEquals(Duration.ofMillis(250), OptionArgs.duration("250ms"));
        assertEquals(Duration.ofSeconds(90), OptionArgs.duration("90"));
        assertEquals(Duration.ofSeconds(10), OptionArgs.duration("PT10S"));
        assertEquals(Duration.ofDays(1), OptionArgs.duration("1d"));
    }

    @Test
    void aValueOfTheWrongKindIsRefusedWithTheOptionNamed() {
        for (String[] c : new String[][] {
            {"zChange=yes", "'zChange' takes true or false, got 'yes'"},
            {"step=", "'step' takes a duration (250ms"},
            {"step=5x", "'step' takes a duration (250ms"},
            {"lags=ten", "'lags' takes an integer, got 'ten'"},
        }) {
            OptionException e = assertThrows(OptionException.class, () -> OptionArgs.parse("vae", List.of(c[0])), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
