package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import anteater.detect.Detector;
import anteater.detect.Detectors;
import anteater.detect.Options;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

    /** Re-encodes a snapshot's header with another detector name (a valid, but foreign, snapshot). */
    static byte[] withDetector(byte[] good, String detector) {
        try {
            SnapshotCodec.Decoded d = SnapshotCodec.decode(good);
            Detector fake = new Detector() {
                @Override public void process(anteater.detect.Window w, java.util.List<anteater.detect.Verdict> out) { }
                @Override public void save(DataOutputStream out) throws IOException { out.write(d.state()); }
                @Override public void load(java.io.DataInputStream in) { }
            };
            return SnapshotCodec.encode(detector, d.fingerprint(), fake);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void roundTripAndChecks() throws Exception {
        Options o = Options.of("field", "a");
        Detector d = Detectors.create(o);
        byte[] bytes = SnapshotCodec.encode("ttest", o.canonical(), d);
        SnapshotCodec.Decoded dec = SnapshotCodec.decode(bytes);
        assertEquals("ttest", dec.detector());
        assertEquals(o.canonical(), dec.fingerprint());
        ByteArrayOutputStream state = new ByteArrayOutputStream();
        d.save(new DataOutputStream(state));
        assertArrayEquals(state.toByteArray(), dec.state());
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(bytes, cut);
            assertThrows(SnapshotCodec.SnapshotException.class, () -> SnapshotCodec.decode(part), "cut at " + cut);
        }
        for (int i = 0; i < bytes.length; i++) {
            byte[] flip = bytes.clone();
            flip[i] ^= 0x01;
            assertThrows(SnapshotCodec.SnapshotException.class, () -> SnapshotCodec.decode(flip), "flip at " + i);
        }
    }
}
