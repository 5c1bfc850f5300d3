package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.detect.Detector;
import anteater.detect.Verdict;
import anteater.detect.Window;
import anteater.udf.proto.Udf;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** AnomalyHandler's answers to init and restore requests a task can send, and its output points. */
class AnomalyHandlerTest {
    static final Map<String, String> HOST = Map.of("host", "a");

    static Udf.InitRequest initWith(Udf.Option... options) {
        return Udf.InitRequest.newBuilder().addAllOptions(List.of(options)).build();
    }

    static Udf.OptionValue str(String s) {
        return Udf.OptionValue.newBuilder().setType(Udf.ValueType.STRING).setStringValue(s).build();
    }

    /** A TICKscript .field('a', 'b') or .field(): one value per option, or init is refused naming the option. */
    @Test
    void anOptionWithOtherThanOneValueIsRefusedByName() {
        AnomalyHandler two = new AnomalyHandler();
        Udf.InitResponse r = two.init(initWith(Udf.Option.newBuilder().setName("field").addValues(str("a")).addValues(str("b")).build()));
        assertFalse(r.getSuccess());
        assertEquals("option 'field' takes exactly one value, got 2", r.getError());
        assertFalse(two.ready());
        AnomalyHandler none = new AnomalyHandler();
        Udf.InitResponse n = none.init(initWith(Udf.Option.newBuilder().setName("field").build()));
        assertFalse(n.getSuccess());
        assertEquals("option 'field' takes exactly one value, got 0", n.getError());
        AnomalyHandler one = new AnomalyHandler();
        Udf.InitResponse ok = one.init(initWith(Udf.Option.newBuilder().setName("field").addValues(str("a")).build()));
        assertTrue(ok.getSuccess(), ok.getError());
        one.close();
    }

    /** A second init on one node (the first in force) is refused, saying so. */
    @Test
    void aSecondInitIsRefusedSayingWhy() {
        AnomalyHandler h = new AnomalyHandler();
        assertTrue(h.init(AnomalyHandlerConfigTest.init("x")).getSuccess());
        Udf.InitResponse again = h.init(AnomalyHandlerConfigTest.init("y"));
        assertFalse(again.getSuccess());
        assertEquals("init was already done for this node", again.getError());
        assertTrue(h.ready());
        h.close();
    }

    /** Before a successful init there is no detector: no state to give, none to take (and no hint to delete the task). */
    @Test
    void snapshotAndRestoreBeforeInit() {
        AnomalyHandler h = new AnomalyHandler();
        assertEquals(Udf.SnapshotResponse.getDefaultInstance(), h.snapshot());
        Udf.RestoreResponse r = h.restore(Udf.RestoreRequest.newBuilder()
                .setSnapshot(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3})).build());
        assertFalse(r.getSuccess());
        assertEquals("restore before a successful init", r.getError());
    }

    /** A snapshot of a 20-point window of field x (ttest), and the handler that made it, open. */
    static byte[] snapshotOfOneWindow(AnomalyHandler h) {
        assertTrue(h.init(AnomalyHandlerConfigTest.init("x")).getSuccess());
        Window w = new Window("m", "", new java.util.HashMap<>(HOST), false, 20);
        Random rnd = new Random(5);
        for (int i = 0; i < 20; i++) {
            w.notePoint(i * AgentTest.SEC);
            w.add("x", i * AgentTest.SEC, 1 + rnd.nextGaussian());
        }
        w.end("m", "", null, false, 19 * AgentTest.SEC);
        h.window(w, r -> { });
        Udf.SnapshotResponse s = h.snapshot();
        assertFalse(s.getSnapshot().isEmpty());
        return s.getSnapshot().toByteArray();
    }

    /** The snapshot re-encoded (valid header and checksum) with other state bytes. */
    static byte[] withState(byte[] good, java.util.function.UnaryOperator<byte[]> edit) throws Exception {
        SnapshotCodec.Decoded d = SnapshotCodec.decode(good);
        byte[] state = edit.apply(d.state());
        Detector fake = new Detector() {
            @Override public void process(Window w, List<Verdict> out) { }
            @Override public void save(DataOutputStream out) throws IOException { out.write(state); }
            @Override public void load(java.io.DataInputStream in) { }
        };
        return SnapshotCodec.encode(d.detector(), d.fingerprint(), fake);
    }

    static Udf.RestoreResponse restore(byte[] snapshot) {
        AnomalyHandler h = new AnomalyHandler();
        assertTrue(h.init(AnomalyHandlerConfigTest.init("x")).getSuccess());
        try {
            return h.restore(Udf.RestoreRequest.newBuilder().setSnapshot(com.google.protobuf.ByteString.copyFrom(snapshot)).build());
        } finally {
            h.close();
        }
    }

    /**
     * A snapshot whose checksum is right but whose detector state is longer or shorter than the detector reads (a
     * snapshot of another anteater build, say): the restore fails and says which, with the way out.
     */
    @Test
    void aStateOfTheWrongLengthFailsTheRestoreSayingWhy() throws Exception {
        AnomalyHandler maker = new AnomalyHandler();
        byte[] good = snapshotOfOneWindow(maker);
        maker.close();
        assertTrue(restore(good).getSuccess());

        Udf.RestoreResponse longer = restore(withState(good, s -> java.util.Arrays.copyOf(s, s.length + 3)));
        assertFalse(longer.getSuccess());
        assertTrue(longer.getError().startsWith("snapshot state could not be read: 3 unread bytes after the state"), longer.getError());
        assertTrue(longer.getError().contains("delete and define the task again"), longer.getError());

        Udf.RestoreResponse shorter = restore(withState(good, s -> java.util.Arrays.copyOf(s, s.length - 3)));
        assertFalse(shorter.getSuccess());
        assertTrue(shorter.getError().startsWith("snapshot state could not be read: the detector state ends early (truncated)"),
                shorter.getError());
        assertTrue(shorter.getError().contains("delete and define the task again"), shorter.getError());
    }

    /**
     * Verdict fields to point fields: Kapacitor cannot pass on an infinity (JSON in its alert handlers, InfluxDB
     * writes), so it becomes the largest finite double of its sign; a NaN and a null are left out; integers, booleans
     * and strings keep their type. Every tag is a dimension (Kapacitor's group-by downstream), the window's byName kept.
     */
    @Test
    void verdictFieldsKeepTheirTypesAndStayFinite() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("plus", Double.POSITIVE_INFINITY);
        fields.put("minus", Double.NEGATIVE_INFINITY);
        fields.put("nan", Double.NaN);
        fields.put("d", 2.5);
        fields.put("l", 7L);
        fields.put("i", 3);
        fields.put("b", true);
        fields.put("s", "text");
        fields.put("nothing", null);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("z", "1");
        tags.put("a", "2");
        Window w = new Window("m", "", new java.util.HashMap<>(tags), true, 1);
        Udf.Point p = AnomalyHandler.toPoint(new Verdict("out", 42L, tags, fields, null), w);
        assertEquals("out", p.getName());
        assertEquals(42L, p.getTime());
        assertTrue(p.getByName());
        assertEquals(tags, p.getTagsMap());
        assertEquals(List.of("a", "z"), p.getDimensionsList());
        assertEquals(Map.of("plus", Double.MAX_VALUE, "minus", -Double.MAX_VALUE, "d", 2.5), p.getFieldsDoubleMap());
        assertEquals(Map.of("l", 7L, "i", 3L), p.getFieldsIntMap());
        assertEquals(Map.of("b", true), p.getFieldsBoolMap());
        assertEquals(Map.of("s", "text"), p.getFieldsStringMap());
    }
}
