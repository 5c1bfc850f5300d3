package anteater.udf;

import anteater.udf.proto.Udf;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads varint-length-prefixed {@code Request} frames. A length above the limit is refused before anything is
 * allocated for it; the body buffer is reused across frames.
 */
public final class FrameReader {
    public static final int DEFAULT_MAX_FRAME = 16 * 1024 * 1024;
    /** Request field 5 (restore), wire type 2: the first byte of a restore frame. */
    static final int RESTORE_TAG = (5 << 3) | 2;

    /**
     * The largest restore frame accepted: a snapshot is the agent's own state, which the frame limit does not
     * bound (1000 groups of a default t-test history are 29 MB); a quarter of the heap, at least the frame limit.
     */
    public static long maxRestoreFrame(int maxFrame) {
        return Math.max(maxFrame, Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4));
    }

    /** {@link #nextFrame}'s answer for a restore frame the gate refused: its body was skipped, not read. */
    public static final int REFUSED = -2;

    /** Decides, before the buffer for a restore frame above the frame limit is allocated, whether to read it. */
    interface RestoreGate {
        /** True to read the frame; false to skip its body ({@link #nextFrame} then returns {@link #REFUSED}). */
        boolean admit(int bytes) throws IOException;
    }

    private final InputStream in;
    private final int maxFrame;
    private final RestoreGate gate;
    private byte[] buf = new byte[8192];
    private final byte[] chunk = new byte[65536];
    private int chunkPos;
    private int chunkLen;
    private long frames;

    public FrameReader(InputStream in, int maxFrame) {
        this(in, maxFrame, bytes -> true);
    }

    FrameReader(InputStream in, int maxFrame, RestoreGate gate) {
        this.in = in;
        this.maxFrame = maxFrame;
        this.gate = gate;
    }

    /** The next request, or null at a clean end of input (EOF exactly between frames). */
    public Udf.Request next() throws IOException {
        int n = nextFrame();
        return n < 0 ? null : parse(n);
    }

    /** Parses the body of the frame just read by {@link #nextFrame}. */
    public Udf.Request parse(int n) throws IOException {
        try {
            CodedInputStream cis = CodedInputStream.newInstance(buf, 0, n);
            return Udf.Request.parseFrom(cis);
        } catch (InvalidProtocolBufferException e) {
            throw new FrameException("frame " + frames + ": not a valid Request message (" + e.getMessage() + ")", e);
        }
    }

    /** The body of the last frame read by {@link #nextFrame} (valid until the next call). */
    public byte[] buffer() {
        return buf;
    }

    /**
     * Reads the next frame's body into {@link #buffer()}; returns its length, -1 at a clean end of input, or
     * {@link #REFUSED} for a restore frame the gate did not admit.
     */
    public int nextFrame() throws IOException {
        // do not keep a restore-sized buffer for the frames that follow one
        if (buf.length > maxFrame) buf = new byte[8192];
        int first = readByte();
        if (first < 0) return -1;
        long len = first & 0x7f;
        int shift = 7;
        int b = first;
        while ((b & 0x80) != 0) {
            if (shift > 63) throw new FrameException("frame " + (frames + 1) + ": malformed length varint (more than 10 bytes)");
            b = readByte();
            if (b < 0) throw new FrameException("frame " + (frames + 1) + ": input ended inside the length prefix");
            // the 10th byte holds bit 63 only: more would be dropped by the shift, leaving a small wrong length
            if (shift == 63 && (b & 0x7e) != 0) {
                throw new FrameException("frame " + (frames + 1) + ": malformed length varint (overflows 64 bits)");
            }
            len |= (long) (b & 0x7f) << shift;
            shift += 7;
        }
        int first0 = -1;
        if (len > maxFrame && len <= maxRestoreFrame(maxFrame)) {
            // only a restore may exceed the frame limit: look at the body's first byte before allocating
            first0 = readByte();
            if (first0 < 0) throw new FrameException("frame " + (frames + 1) + ": input ended after 0 of " + len + " bytes");
        }
        if (len < 0 || (len > maxFrame && first0 != RESTORE_TAG)) {
            throw new FrameException("frame " + (frames + 1) + ": length " + Long.toUnsignedString(len)
                    + " bytes exceeds the limit of " + maxFrame + " bytes (--max-frame)");
        }
        int n = (int) len;
        if (first0 >= 0 && !gate.admit(n)) {
            skip(n - 1);
            frames++;
            return REFUSED;
        }
        if (n > buf.length) buf = new byte[Math.max(n, Math.min(maxFrame, buf.length * 2))];
        int off = 0;
        if (first0 >= 0) buf[off++] = (byte) first0;
        readFully(buf, off, n);
        frames++;
        return n;
    }

    public long frames() {
        return frames;
    }

    private int readByte() throws IOException {
        if (chunkPos == chunkLen) {
            chunkLen = in.read(chunk, 0, chunk.length);
            chunkPos = 0;
            if (chunkLen <= 0) {
                chunkLen = 0;
                return -1;
            }
        }
        return chunk[chunkPos++] & 0xff;
    }

    /** Reads and drops n bytes through the small chunk buffer. */
    private void skip(long n) throws IOException {
        long done = 0;
        while (done < n) {
            if (chunkPos == chunkLen) {
                chunkLen = Math.max(0, in.read(chunk, 0, chunk.length));
                chunkPos = 0;
                if (chunkLen == 0) {
                    throw new FrameException("frame " + (frames + 1) + ": input ended after " + (done + 1) + " of " + (n + 1) + " bytes");
                }
            }
            int k = (int) Math.min(chunkLen - chunkPos, n - done);
            chunkPos += k;
            done += k;
        }
    }

    private void readFully(byte[] dst, int off, int n) throws IOException {
        int avail = chunkLen - chunkPos;
        if (avail > 0 && off < n) {
            int k = Math.min(avail, n - off);
            System.arraycopy(chunk, chunkPos, dst, off, k);
            chunkPos += k;
            off += k;
        }
        while (off < n) {
            int r = in.read(dst, off, n - off);
            if (r < 0) {
                throw new FrameException("frame " + (frames + 1) + ": input ended after " + off + " of " + n + " bytes");
            }
            off += r;
        }
    }
}
