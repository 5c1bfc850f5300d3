package anteater.detect;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Snapshot form of one group's per-field states: the field count, then each field's name and state. On load, a
 * field the task no longer analyses is read past and dropped.
 */
final class FieldStates {
    /** Reads one field's state; the name is for error messages. */
    interface Reader<S> {
        S read(DataInputStream in, String field) throws IOException;
    }

    private FieldStates() {
    }

    static <S> void save(DataOutputStream out, Map<String, S> states, GroupTable.Writer<S> w) throws IOException {
        out.writeInt(states.size());
        for (Map.Entry<String, S> e : states.entrySet()) {
            out.writeUTF(e.getKey());
            w.write(out, e.getValue());
        }
    }

    static <S> Map<String, S> load(DataInputStream in, List<String> fields, Reader<S> r) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 100_000) throw new IOException("bad field count " + n);
        Map<String, S> m = new HashMap<>();
        for (int f = 0; f < n; f++) {
            String name = in.readUTF();
            S st = r.read(in, name);
            if (fields.contains(name)) m.put(name, st);
        }
        return m;
    }
}
