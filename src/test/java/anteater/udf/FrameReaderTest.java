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

    /** Hands out at most {@code step} bytes per read ({@code step} 1: a pipe under pressure). */
    static final class Chunked extends InputStream {
        private final byte[] data;
        private final int step;
        private int pos;

        Chunked(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) return -1;
            int k = Math.min(Math.min(len, step), data.length - pos);
            System.arraycopy(data, pos, b, off, k);
            pos += k;
            return k;
        }
    }

    @Test
    void readsFramesSplitAcrossReads() throws IOException {
        byte[] big = new byte[200_000]; // a 3-byte varint length
        Arrays.fill(big, (byte) 'x');
        List<Udf.Request> reqs = List.of(Frames.info(), Frames.keepalive(42),
                Frames.restore(big), Frames.point(7, Map.of("a", "b"), Map.of("v", 1.5), Map.of("i", 3L)));
        byte[] bytes = Frames.encode(reqs);
        FrameReader r = new FrameReader(new Chunked(bytes, 1), FrameReader.DEFAULT_MAX_FRAME);
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

    /** A frame of exactly --max-frame bytes is read; the limit is on what exceeds it. An empty frame is no EOF. */
    @Test
    void aFrameOfExactlyTheLimitIsReadAndAnEmptyFrameIsNotTheEnd() throws IOException {
        Udf.Request empty = Udf.Request.getDefaultInstance();
        Udf.Request atLimit = Frames.restore(new byte[1000]);
        int size = atLimit.getSerializedSize();
        FrameReader r = new FrameReader(new ByteArrayInputStream(Frames.encode(List.of(empty, atLimit, Frames.keepalive(3)))), size);
        assertEquals(empty, r.next(), "a frame of length 0 is an (empty) request, not the end of input");
        assertEquals(atLimit, r.next(), "a frame of " + size + " bytes under a limit of " + size);
        assertEquals(Frames.keepalive(3), r.next());
        assertNull(r.next());
    }

    /**
     * A restore above the frame limit (its first body byte read before the buffer is made): its body and the frame
     * after it come out whole, however the input is cut, with the public constructor's gate (which admits all).
     */
    @Test
    void aRestoreAboveTheFrameLimitAndTheFrameAfterItAreReadWhole() throws IOException {
        byte[] state = new byte[3000];
        for (int i = 0; i < state.length; i++) state[i] = (byte) (i * 7);
        List<Udf.Request> reqs = List.of(Frames.keepalive(1), Frames.restore(state), Frames.keepalive(2));
        byte[] bytes = Frames.encode(reqs);
        for (int step : new int[] {1, 100, 65536}) {
            FrameReader r = new FrameReader(new Chunked(bytes, step), 1000);
            for (Udf.Request expected : reqs) assertEquals(expected, r.next(), "reads of " + step + " bytes");
            assertNull(r.next(), "reads of " + step + " bytes");
        }
    }

    /** A restore the gate refuses is skipped to the end of its body: the next frame is read as it was sent. */
    @Test
    void aRefusedRestoreIsSkippedExactlyToTheNextFrame() throws IOException {
        byte[] bytes = Frames.encode(List.of(Frames.keepalive(1), Frames.restore(new byte[5000]), Frames.keepalive(2)));
        for (int step : new int[] {1, 100, 65536}) {
            int[] asked = new int[1];
            FrameReader r = new FrameReader(new Chunked(bytes, step), 1000, n -> {
                asked[0] = n;
                return false;
            });
            assertEquals(Frames.keepalive(1), r.next());
            assertEquals(FrameReader.REFUSED, r.nextFrame(), "reads of " + step + " bytes");
            assertEquals(Frames.restore(new byte[5000]).getSerializedSize(), asked[0], "the gate is asked for the frame's size");
            assertEquals(Frames.keepalive(2), r.next(), "reads of " + step + " bytes");
            assertNull(r.next());
            assertEquals(3, r.frames());
        }
        // cut inside the refused body: an error that says how far it got, not a clean end
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 100);
        FrameReader r = new FrameReader(new Chunked(cut, 100), 1000, n -> false);
        r.next();
        FrameException e = assertThrows(FrameException.class, r::nextFrame);
        int body = Frames.restore(new byte[5000]).getSerializedSize();
        int last = Frames.encode(List.of(Frames.keepalive(2))).length;
        assertEquals("frame 2: input ended after " + (body + last - 100) + " of " + body + " bytes", e.getMessage());
    }

    /** The restore frame limit is a quarter of the heap (at least the frame limit): a longer one is refused unread. */
    @Test
    void theRestoreLimitIsAQuarterOfTheHeap() {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        assertEquals(Math.min(Integer.MAX_VALUE - 8, quarter), FrameReader.maxRestoreFrame(1024));
        assertEquals(Integer.MAX_VALUE - 8L, FrameReader.maxRestoreFrame(Integer.MAX_VALUE - 8));
        long over = FrameReader.maxRestoreFrame(1024) + 1;
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (long v = over; ; v >>>= 7) {
            if (v < 0x80) {
                b.write((int) v);
                break;
            }
            b.write((int) (v & 0x7f) | 0x80);
        }
        b.write(FrameReader.RESTORE_TAG);
        FrameException e = assertThrows(FrameException.class,
                () -> new FrameReader(new ByteArrayInputStream(b.toByteArray()), 1024).next());
        assertTrue(e.getMessage().contains("length " + over + " bytes exceeds"), e.getMessage());
    }
}
