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

    private final InputStream in;
    private final int maxFrame;
    private byte[] buf = new byte[8192];
    private final byte[] chunk = new byte[65536];
    private int chunkPos;
    private int chunkLen;
    private long frames;

    public FrameReader(InputStream in, int maxFrame) {
        this.in = in;
        this.maxFrame = maxFrame;
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

    /** Reads the next frame's body into {@link #buffer()}; returns its length, or -1 at a clean end of input. */
    public int nextFrame() throws IOException {
        int first = readByte();
        if (first < 0) return -1;
        long len = first & 0x7f;
        int shift = 7;
        int b = first;
        while ((b & 0x80) != 0) {
            if (shift > 63) throw new FrameException("frame " + (frames + 1) + ": malformed length varint (more than 10 bytes)");
            b = readByte();
            if (b < 0) throw new FrameException("frame " + (frames + 1) + ": input ended inside the length prefix");
            len |= (long) (b & 0x7f) << shift;
            shift += 7;
        }
        if (len < 0 || len > maxFrame) {
            throw new FrameException("frame " + (frames + 1) + ": length " + Long.toUnsignedString(len)
                    + " bytes exceeds the limit of " + maxFrame + " bytes (--max-frame)");
        }
        int n = (int) len;
        if (n > buf.length) buf = new byte[Math.max(n, Math.min(maxFrame, buf.length * 2))];
        readFully(buf, n);
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

    private void readFully(byte[] dst, int n) throws IOException {
        int off = 0;
        int avail = chunkLen - chunkPos;
        if (avail > 0) {
            int k = Math.min(avail, n);
            System.arraycopy(chunk, chunkPos, dst, 0, k);
            chunkPos += k;
            off = k;
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
