package anteater.udf;

import anteater.detect.Window;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The hot path of the read loop: decodes a {@code Request{point}} frame straight into a {@link Window}, reading
 * only the time and the numeric field maps (a batch point's tags and group repeat the batch's). Same result as
 * parsing the full Request and calling {@link Agent#addPoint}, without building the Point, its maps and entries.
 */
final class PointDecoder {
    /** Request field 17 (point), wire type 2: the varint tag 0x8A 0x01. */
    static final int POINT_TAG = (17 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED;

    private static final int TIME = 1;
    private static final int FIELDS_DOUBLE = 8;
    private static final int FIELDS_INT = 9;

    // small cache of field names: windows carry the same few names over and over
    private final byte[][] keys = new byte[8][];
    private final String[] names = new String[8];
    private int cached;
    private final Fields fields = new Fields();

    /** Whether the frame is a Request whose message is a Point (so {@link #decode} applies). */
    static boolean isPoint(byte[] buf, int len) {
        return len >= 2 && (buf[0] & 0xff) == 0x8A && buf[1] == 0x01;
    }

    /**
     * Adds the frame's point to {@code w} and returns true, or adds nothing and returns false when the frame holds more
     * than one Point field: another Request field after it (the last message of the oneof wins) or a second Point
     * (merged into the first), which only the full parse reads as protobuf does.
     */
    boolean decode(byte[] buf, int len, Window w) throws IOException {
        CodedInputStream req = CodedInputStream.newInstance(buf, 0, len);
        long time = 0;
        boolean seen = false;
        int tag;
        while ((tag = req.readTag()) != 0) {
            if (tag != POINT_TAG || seen) return false;
            seen = true;
            int plen = req.readRawVarint32();
            int old = req.pushLimit(plen);
            fields.n = 0;
            while ((tag = req.readTag()) != 0) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == TIME && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                    time = req.readInt64();
                } else if ((field == FIELDS_DOUBLE || field == FIELDS_INT)
                        && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    readEntry(req, field == FIELDS_DOUBLE, fields);
                } else {
                    req.skipField(tag);
                }
            }
            req.popLimit(old);
        }
        if (!seen) return false;
        w.notePoint(time);
        for (int i = 0; i < fields.n; i++) w.add(fields.names[i], time, fields.values[i]);
        return true;
    }

    private void readEntry(CodedInputStream in, boolean isDouble, Fields out) throws IOException {
        int elen = in.readRawVarint32();
        int old = in.pushLimit(elen);
        String name = "";
        double value = 0.0;
        int tag;
        while ((tag = in.readTag()) != 0) {
            int f = WireFormat.getTagFieldNumber(tag);
            int wt = WireFormat.getTagWireType(tag);
            if (f == 1 && wt == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                name = name(in.readByteArray());
            } else if (f == 2 && isDouble && wt == WireFormat.WIRETYPE_FIXED64) {
                value = in.readDouble();
            } else if (f == 2 && !isDouble && wt == WireFormat.WIRETYPE_VARINT) {
                value = (double) in.readInt64();
            } else {
                in.skipField(tag);
            }
        }
        in.popLimit(old);
        out.add(name, value);
    }

    private String name(byte[] key) {
        for (int i = 0; i < cached; i++) {
            if (java.util.Arrays.equals(key, keys[i])) return names[i];
        }
        String s = new String(key, StandardCharsets.UTF_8);
        int slot = cached < keys.length ? cached++ : (int) (Integer.toUnsignedLong(s.hashCode()) % keys.length);
        keys[slot] = key;
        names[slot] = s;
        return s;
    }

    /** Fields of one point, applied only once its time is known (time may follow the maps on the wire). */
    private static final class Fields {
        String[] names = new String[4];
        double[] values = new double[4];
        int n;

        void add(String name, double v) {
            if (n == names.length) {
                names = java.util.Arrays.copyOf(names, n * 2);
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            names[n] = name;
            values[n] = v;
            n++;
        }
    }
}
