package anteater.sink;

import java.util.ArrayList;
import java.util.List;

/** Keeps passwords out of logs and error messages: any text we show passes through {@link #scrub}. */
final class Secrets {
    private final List<String> secrets = new ArrayList<>();

    Secrets(String... values) {
        for (String v : values) {
            if (v != null && v.length() >= 1) secrets.add(v);
        }
    }

    String scrub(Object text) {
        String s = String.valueOf(text);
        for (String v : secrets) s = s.replace(v, "****");
        return s;
    }
}
