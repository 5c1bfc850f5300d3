package anteater.udf;

import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds request frames and reads response frames, as Kapacitor would. */
public final class Frames {
    private Frames() {
    }

    public static Udf.Request info() {
        return Udf.Request.newBuilder().setInfo(Udf.InfoRequest.getDefaultInstance()).build();
    }

    public static Udf.Request keepalive(long t) {
        return Udf.Request.newBuilder().setKeepalive(Udf.KeepaliveRequest.newBuilder().setTime(t)).build();
    }

    public static Udf.Request snapshot() {
        return Udf.Request.newBuilder().setSnapshot(Udf.SnapshotRequest.getDefaultInstance()).build();
    }

    public static Udf.Request restore(byte[] b) {
        return Udf.Request.newBuilder().setRestore(Udf.RestoreRequest.newBuilder()
                .setSnapshot(com.google.protobuf.ByteString.copyFrom(b))).build();
    }

    /** init with name/value pairs: String, Long, Double, Boolean or java.time.Duration values. */
    public static Udf.Request init(Object... pairs) {
        Udf.InitRequest.Builder b = Udf.InitRequest.newBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            Object v = pairs[i + 1];
            Udf.OptionValue.Builder ov = Udf.OptionValue.newBuilder();
            if (v instanceof String s) ov.setType(Udf.ValueType.STRING).setStringValue(s);
            else if (v instanceof Long l) ov.setType(Udf.ValueType.INT).setIntValue(l);
            else if (v instanceof Integer n) ov.setType(Udf.ValueType.INT).setIntValue(n);
            else if (v instanceof Double d) ov.setType(Udf.ValueType.DOUBLE).setDoubleValue(d);
            else if (v instanceof Boolean x) ov.setType(Udf.ValueType.BOOL).setBoolValue(x);
            else if (v instanceof java.time.Duration d) ov.setType(Udf.ValueType.DURATION).setDurationValue(d.toNanos());
            b.addOptions(Udf.Option.newBuilder().setName((String) pairs[i]).addValues(ov));
        }
        return Udf.Request.newBuilder().setInit(b).build();
    }

    public static Udf.Request begin(String name, Map<String, String> tags, long size) {
        return Udf.Request.newBuilder().setBegin(Udf.BeginBatch.newBuilder().setName(name).setGroup(group(tags))
                .putAllTags(tags).setSize(size)).build();
    }

    public static Udf.Request point(long time, Map<String, String> tags, Map<String, Double> doubles, Map<String, Long> ints) {
        return Udf.Request.newBuilder().setPoint(Udf.Point.newBuilder().setTime(time).setGroup(group(tags))
                .putAllTags(tags).putAllFieldsDouble(doubles).putAllFieldsInt(ints)).build();
    }

    public static Udf.Request end(String name, Map<String, String> tags, long tmax) {
        return Udf.Request.newBuilder().setEnd(Udf.EndBatch.newBuilder().setName(name).setGroup(group(tags))
                .putAllTags(tags).setTmax(tmax)).build();
    }

    /** A whole window: begin, one point per value of `field` at 1 s steps from start, end. */
    public static List<Udf.Request> window(String name, Map<String, String> tags, String field, long startNs, double... values) {
        List<Udf.Request> l = new ArrayList<>();
        l.add(begin(name, tags, values.length));
        long t = startNs;
        for (double v : values) {
            l.add(point(t, tags, Map.of(field, v), Map.of()));
            t += 1_000_000_000L;
        }
        l.add(end(name, tags, t - 1_000_000_000L));
        return l;
    }

    static String group(Map<String, String> tags) {
        return new java.util.TreeMap<>(tags).toString();
    }

    public static byte[] encode(List<Udf.Request> reqs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Udf.Request r : reqs) r.writeDelimitedTo(out);
        return out.toByteArray();
    }

    public static void write(OutputStream out, Udf.Request r) throws IOException {
        r.writeDelimitedTo(out);
        out.flush();
    }

    public static List<Udf.Response> decode(byte[] bytes) throws IOException {
        List<Udf.Response> l = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(bytes);
        Udf.Response r;
        while ((r = Udf.Response.parseDelimitedFrom(in)) != null) l.add(r);
        return l;
    }
}
