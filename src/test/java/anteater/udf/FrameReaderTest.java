package anteater.udf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import anteater.udf.proto.Udf;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameReaderTest {

    /** Hands out at most one byte per read, like a pipe under pressure. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private int pos;

        Trickle(byte[] data) {
            this.data = data;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            b[off] = data[pos++];
            return 1;
        }
    }

    @Test
    void readsFramesSplitAcrossReads() throws IOException {
        byte[] big = new byte[200_000]; // a 3-byte varint length
        Arrays.fill(big, (byte) 'x');
        List<Udf.Request> reqs = List.of(Frames.info(), Frames.keepalive(42),
                Frames.restore(big), Frames.point(7, Map.of("a", "b"), Map.of("v", 1.5), Map.of("i", 3L)));
        byte[] bytes = Frames.encode(reqs);
        FrameReader r = new FrameReader(new Trickle(bytes), FrameReader.DEFAULT_MAX_FRAME);
        for (Udf.Request expected : reqs) assertEquals(expected, r.next());
        assertNull(r.next(), "clean EOF between frames");
        assertEquals(4, r.frames());
    }

    @Test
    void multiByteVarintLengths() throws IOException {
        for (int size : new int[] {0, 1, 126, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152}) {
            byte[] payload = new byte[size];
            Udf.Request req = Frames.restore(payload);
            byte[] bytes = Frames.encode(List.of(req));
            FrameReader r = new FrameReader(new ByteArrayInputStream(bytes), FrameReader.DEFAULT_MAX_FRAME);
            assertEquals(req, r.next(), "payload " + size);
            assertNull(r.next());
        }
    }

    @Test
    void eofInsideLengthOrBodyIsAnError() throws IOException {
        byte[] bytes = Frames.encode(List.of(Frames.restore(new byte[300])));
        FrameException midVarint = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(Arrays.copyOf(bytes, 1)), 1 << 20).next());
        assertTrue(midVarint.getMessage().contains("length prefix"), midVarint.getMessage());
        FrameException midBody = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(Arrays.copyOf(bytes, 100)), 1 << 20).next());
        assertTrue(midBody.getMessage().contains("ended after"), midBody.getMessage());
    }

    @Test
    void oversizedLengthIsRefusedBeforeAllocation() {
        // varint of 2^40: a hostile length; must fail fast without trying to allocate it
        byte[] bytes = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x20};
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(bytes), 1024).next());
        assertTrue(e.getMessage().contains("1099511627776") && e.getMessage().contains("1024"), e.getMessage());
        byte[] justOver = {(byte) 0x81, 0x08}; // 1025
        FrameException e2 = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(justOver), 1024).next());
        assertTrue(e2.getMessage().contains("1025"), e2.getMessage());
    }

    @Test
    void malformedVarintAndGarbage() {
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xff);
        assertThrows(FrameException.class, () -> new FrameReader(new ByteArrayInputStream(eleven), 1 << 20).next());
        // ten bytes whose last carries bits above 63: dropped by a 64-bit shift, they would leave length 0
        byte[] overflow = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                (byte) 0x80, (byte) 0x80, 0x02};
        FrameException o = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(overflow), 1 << 20).next());
        assertTrue(o.getMessage().contains("overflows 64 bits"), o.getMessage());
        byte[] garbage = {3, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(garbage), 1 << 20).next());
        assertTrue(e.getMessage().contains("not a valid Request"), e.getMessage());
    }
}
