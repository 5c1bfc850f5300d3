package anteater.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The line protocol parser against lines written by InfluxDB's escaping rules as its documentation states them:
 * the measurement escapes comma and space; tag keys, tag values and field keys comma, equals and space; a string
 * field value double quote and backslash; two backslashes are one. Numbers: floats, {@code i} integers and {@code u}
 * unsigned integers, each rounded once to the nearest double.
 */
class LinePointTest {
    private static final String NAME_CHARS = "abcXYZ019_-.,= \\\"#";

    private static String escape(String s, String special) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\\' || special.indexOf(c) >= 0) b.append('\\');
            b.append(c);
        }
        return b.toString();
    }

    private static String name(Random r) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) b.append(NAME_CHARS.charAt(r.nextInt(NAME_CHARS.length())));
        return b.toString();
    }

    private static String spaces(Random r) {
        return " ".repeat(1 + r.nextInt(3));
    }

    @Test
    void readsWhatTheEscapingRulesWrite() {
        Random r = new Random(7);
        for (int line = 0; line < 3000; line++) {
            String measurement = name(r);
            TreeMap<String, String> tags = new TreeMap<>();
            int nt = r.nextInt(4);
            while (tags.size() < nt) tags.put(name(r), name(r));
            StringBuilder text = new StringBuilder(escape(measurement, ", "));
            for (Map.Entry<String, String> t : tags.entrySet()) {
                text.append(',').append(escape(t.getKey(), ",= ")).append('=').append(escape(t.getValue(), ",= "));
            }
            text.append(spaces(r));
            Map<String, Double> fields = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            int nf = 1 + r.nextInt(4);
            while (keys.size() < nf) {
                String k = name(r);
                if (!keys.contains(k)) keys.add(k);
            }
            for (int f = 0; f < nf; f++) {
                if (f > 0) text.append(',');
                String k = keys.get(f);
                text.append(escape(k, ",= ")).append('=');
                switch (r.nextInt(5)) {
                    case 0 -> {
                        double x = (r.nextBoolean() ? 1 : -1) * r.nextDouble() * Math.pow(10, r.nextInt(40) - 20);
                        text.append(x);
                        fields.put(k, x);
                    }
                    case 1 -> {
                        long x = r.nextLong() >> r.nextInt(64);
                        text.append(x).append('i');
                        fields.put(k, (double) x);
                    }
                    case 2 -> {
                        long x = r.nextLong() >>> r.nextInt(64);
                        if (r.nextBoolean()) x |= Long.MIN_VALUE; // above 2^63
                        String u = Long.toUnsignedString(x);
                        text.append(u).append('u');
                        fields.put(k, new BigDecimal(u).doubleValue());
                    }
                    case 3 -> text.append(List.of("t", "F", "true", "False", "TRUE").get(r.nextInt(5)));
                    default -> text.append('"').append(escape(name(r) + " " + name(r), "\"")).append('"');
                }
            }
            Long time = r.nextBoolean() ? null : r.nextLong();
            if (time != null) text.append(spaces(r)).append(time);
            LinePoint p = LinePoint.parse(text.toString());
            String where = text.toString();
            assertEquals(measurement, p.measurement(), where);
            assertEquals(tags, p.tagMap(), where);
            assertEquals(fields, p.fields(), where);
            assertEquals(new ArrayList<>(fields.keySet()), new ArrayList<>(p.fields().keySet()), where);
            assertEquals(time, p.time(), where);
        }
    }

    @Test
    void unsignedIntegersAreRoundedOnce() {
        // 2^63 + 1025 is nearer 2^63 + 2048 than 2^63; its half, 2^62 + 512, is a tie that rounds to even: 2^62
        BigInteger v = BigInteger.TWO.pow(63).add(BigInteger.valueOf(1025));
        double expected = Math.pow(2, 63) + 2048;
        assertEquals(expected, new BigDecimal(v).doubleValue());
        assertEquals(expected, LinePoint.parse("net bytes=" + v + "u").fields().get("bytes"));
        assertEquals(18446744073709551615.0, LinePoint.parse("net bytes=18446744073709551615u").fields().get("bytes"));
        assertEquals(0.0, LinePoint.parse("net bytes=0u").fields().get("bytes"));
        // beyond 2^64 - 1, signed, or not digits: not a number
        for (String bad : List.of("18446744073709551616u", "-1u", "+1u", "1.5u", "u")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinePoint.parse("net bytes=" + bad));
            assertEquals("field 'bytes' has value '" + bad + "'", e.getMessage());
        }
    }

    @Test
    void stringsEscapeTheirQuotes() {
        // an escaped quote does not end the string, an escaped backslash before the closing quote does not escape it
        assertEquals(Map.of("x", 1.0), LinePoint.parse("m s=\"a\\\"b, c=2\",x=1").fields());
        assertEquals(Map.of("x", 1.0), LinePoint.parse("m s=\"a\\\\\",x=1").fields());
        assertEquals(Map.of("x", 1.0), LinePoint.parse("m s=\"\",x=1 5").fields());
        assertEquals(5L, LinePoint.parse("m x=1,s=\"a b\" 5").time());
        for (String open : List.of("m s=\"abc", "m s=\"abc\\", "m s=\"abc\\\"", "m s=\"")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinePoint.parse(open), open);
            assertEquals("unterminated string field", e.getMessage());
        }
    }

    @Test
    void aTrailingBackslashIsKept() {
        assertEquals("field 'x' has value '1\\'", message("cpu x=1\\"));
        // an escaped space joins the fields to the tag value: no field set is left
        assertEquals("no field set after the measurement and tags", message("cpu,host=a\\ x=1"));
        assertEquals(Map.of("host", "a x"), LinePoint.parse("cpu,host=a\\ x y=1").tagMap());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LinePoint.parse("cpu,host=a\\"));
        assertEquals("no field set after the measurement and tags", e.getMessage());
        assertEquals(Map.of("k=x", "v"), LinePoint.parse("m,k\\=x=v f=1").tagMap());
        assertEquals(Map.of("a=b", 1.0), LinePoint.parse("m a\\=b=1").fields());
        // an equals sign needs no escape in a measurement (and a backslash before one is kept)
        assertEquals("a=b", LinePoint.parse("a=b f=1").measurement());
        assertEquals("a\\=b", LinePoint.parse("a\\=b f=1").measurement());
    }

    @Test
    void errorsNameWhatIsMissing() {
        assertEquals("no measurement", message(",host=a x=1"));
        assertEquals("tag 'host' has no value", message("cpu,host x=1"));
        assertEquals("no field set after the measurement and tags", message("cpu"));
        assertEquals("field 1 has no key=value", message("cpu x"));
        assertEquals("field 1 has no key=value", message("cpu =1"));
        assertEquals("field 2 has no key=value", message("cpu x=1,y"));
        assertEquals("field 3 has no key=value", message("cpu x=1,y=2,"));
        assertEquals("field 'y' has value 'yes'", message("cpu x=1,y=yes"));
        assertEquals("field 'y' has value ''", message("cpu x=1,y= 5"));
        assertEquals("field 'y' has value '1.5i'", message("cpu x=1,y=1.5i"));
        assertEquals("timestamp '12ab' is not an integer", message("cpu x=1 12ab"));
        assertEquals("timestamp '1 2' is not an integer", message("cpu x=1 1 2"));
        assertNull(LinePoint.parse("cpu x=1   ").time());
        assertTrue(LinePoint.parse("cpu b=true").fields().isEmpty());
    }

    private static String message(String line) {
        return assertThrows(IllegalArgumentException.class, () -> LinePoint.parse(line), line).getMessage();
    }
}
