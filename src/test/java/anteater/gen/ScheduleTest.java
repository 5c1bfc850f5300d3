package anteater.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void guideScheduleHasTheGuidesTargetsAndFaults() {
        Schedule s = Schedule.guide();
        assertEquals(List.of("hotend", "bed", "air"), s.sensors());
        assertEquals(220, s.target("hotend"));
        assertEquals(90, s.target("bed"));
        assertEquals(70, s.target("air"));
        assertEquals(List.of(
                new Schedule.Fault("hotend", 3600, 3900),
                new Schedule.Fault("bed", 28800, 29700),
                new Schedule.Fault("air", 43200, 45000)), s.faults(86401));
        // the guide's step values, e.g. air: 3 -> 5 at 3 h -> 15/-5 at 12 h -> 5 at 12h30 -> 3 at 20 h
        List<Schedule.Step> air = s.steps("air");
        assertEquals(5, air.size());
        assertEquals(new Schedule.Step("air", 10800, 5.0, 0.0, false), air.get(1));
        assertEquals(new Schedule.Step("air", 43200, 15.0, -5.0, true), air.get(2));
        assertEquals(72000, air.get(4).atSec());
    }

    @Test
    void timesInSecondsOrHoursMinutesSeconds() {
        assertEquals(3600, Schedule.seconds("3600", ""));
        assertEquals(3600, Schedule.seconds("1h", ""));
        assertEquals(3900, Schedule.seconds("1h5m", ""));
        assertEquals(90, Schedule.seconds("90s", ""));
        assertEquals(2 * 3600 + 30 * 60 + 15, Schedule.seconds("2h30m15s", ""));
        for (String bad : List.of("", "1x", "h", "1h 5m", "-5", "1.5h", "5m1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.seconds(bad, "f:1: "));
            assertTrue(e.getMessage().startsWith("f:1: bad time"), e.getMessage());
        }
    }

    @Test
    void faultEndsAtTheNextStepOrAtTheEndOfData() {
        Schedule s = Schedule.parse("target a 10\na 0 1 0\na 10m 2 1 fault\n", "t");
        assertEquals(List.of(new Schedule.Fault("a", 600, 1200)), s.faults(1200));
        assertTrue(s.faults(600).isEmpty(), "a fault starting at or after the end is not in the data");
    }

    @Test
    void badSchedulesAreRefusedWithTheLineAndWhatIsValid() {
        assertMessage("t:2: sensor 'b' has no 'target' line", "target a 1\nb 0 1 0\n");
        assertMessage("t:1: expected 'target SENSOR CELSIUS'", "target a\n");
        assertMessage("t:2: expected 'SENSOR AT SIGMA OFFSET [fault]'", "target a 1\na 0 1\n");
        assertMessage("t:2: expected 'SENSOR AT SIGMA OFFSET [fault]'", "target a 1\na 0 1 0 broken\n");
        assertMessage("t:2: SIGMA must be >= 0", "target a 1\na 0 -1 0\n");
        assertMessage("t:2: OFFSET must be a finite number, got 'x'", "target a 1\na 0 1 x\n");
        assertMessage("t:3: steps of 'a' must be in increasing time order", "target a 1\na 1h 1 0\na 30m 1 0\n");
        assertMessage("t: no 'target SENSOR CELSIUS' line", "# nothing\n");
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        Schedule s = Schedule.parse("# c\n\ntarget a 1 # trailing\n  a 0 0.5 0  \n", "t");
        assertEquals(1, s.steps().size());
        assertFalse(s.steps().get(0).fault());
    }

    private static void assertMessage(String prefix, String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Schedule.parse(text, "t"));
        assertTrue(e.getMessage().startsWith(prefix), "got: " + e.getMessage());
    }
}
