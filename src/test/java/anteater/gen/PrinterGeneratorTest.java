package anteater.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PrinterGeneratorTest {
    static final Pattern LINE = Pattern.compile(
            "temperatures,printer=p1 hotend=(-?\\d+\\.\\d{3}),bed=(-?\\d+\\.\\d{3}),air=(-?\\d+\\.\\d{3}) (\\d+)");

    @Test
    void onePointPerSecondInLineProtocolWithSecondTimestamps() {
        PrinterGenerator g = new PrinterGenerator(Schedule.guide(), 1, 600, PrinterGenerator.GUIDE_START, "p1");
        List<String> lines = g.lines();
        assertEquals(601, lines.size(), "t = 0 .. 600 inclusive, so the window ending at 600 s closes");
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            assertEquals(PrinterGenerator.GUIDE_START + i, Long.parseLong(m.group(4)));
        }
    }

    @Test
    void sameSeedSameData_otherSeedOtherData() {
        Schedule s = Schedule.guide();
        List<String> a = new PrinterGenerator(s, 7, 300, 0, "p1").lines();
        assertEquals(a, new PrinterGenerator(s, 7, 300, 0, "p1").lines());
        assertNotEquals(a, new PrinterGenerator(s, 8, 300, 0, "p1").lines());
    }

    @Test
    void valuesFollowTheScheduleBeforeDuringAndAfterTheHotendFault() {
        PrinterGenerator g = new PrinterGenerator(Schedule.guide(), 3, 2 * 3600, 0, "p1");
        List<double[]> v = values(g.lines());
        // normal hour: hotend ~ N(220, 0.5); fault 1h..1h05: ~ N(218.5, 3); then N(220, 0.5) again
        double[] before = stats(v, 0, 0, 3600);
        double[] fault = stats(v, 0, 3600, 3900);
        double[] after = stats(v, 0, 3900, 7200);
        assertEquals(220, before[0], 0.05);
        assertEquals(0.5, before[1], 0.05);
        assertEquals(218.5, fault[0], 0.6);
        assertEquals(3.0, fault[1], 0.4);
        assertEquals(220, after[0], 0.05);
        // bed ~ N(90, 1), air ~ N(70, 3) in the first 2 h
        assertEquals(90, stats(v, 1, 0, 7200)[0], 0.1);
        assertEquals(1.0, stats(v, 1, 0, 7200)[1], 0.05);
        assertEquals(70, stats(v, 2, 0, 7200)[0], 0.2);
        assertEquals(3.0, stats(v, 2, 0, 7200)[1], 0.15);
    }

    @Test
    void aSensorWithoutStepAtZeroReadsItsTargetExactly() {
        Schedule s = Schedule.parse("target x 42\nx 10s 1 5 fault\n", "t");
        List<String> lines = new PrinterGenerator(s, 1, 20, 100, "p1").lines();
        assertEquals("temperatures,printer=p1 x=42.000 100", lines.get(0));
        assertEquals("temperatures,printer=p1 x=42.000 109", lines.get(9));
        assertNotEquals("42.000", lines.get(10).split("=")[2].split(" ")[0]);
    }

    @Test
    void fixedThreeDecimals() {
        StringBuilder sb = new StringBuilder();
        for (double d : new double[] {0, 1.5, -1.5, 219.9996, -0.0004, -0.0006, 1e6 + 0.001, 0.01}) {
            PrinterGenerator.appendFixed3(sb, d);
            sb.append(' ');
        }
        assertEquals("0.000 1.500 -1.500 220.000 0.000 -0.001 1000000.001 0.010 ", sb.toString());
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PrinterGenerator(Schedule.guide(), 1, 0, 0, "p1"));
        assertThrows(IllegalArgumentException.class, () -> new PrinterGenerator(Schedule.guide(), 1, 10, 0, "a b"));
        assertThrows(IllegalArgumentException.class, () -> new PrinterGenerator(Schedule.guide(), 1, 10, 0, "a,b=c"));
    }

    private static List<double[]> values(List<String> lines) {
        List<double[]> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = LINE.matcher(l);
            assertTrue(m.matches(), l);
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
        }
        return out;
    }

    /** mean and sample standard deviation of column k over rows [from, to). */
    private static double[] stats(List<double[]> v, int k, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) sum += v.get(i)[k];
        double mean = sum / (to - from);
        double ss = 0;
        for (int i = from; i < to; i++) ss += (v.get(i)[k] - mean) * (v.get(i)[k] - mean);
        return new double[] {mean, Math.sqrt(ss / (to - from - 1))};
    }
}
