package anteater.udf;

import anteater.detect.Detector;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * anteater's snapshot format, version 1:
 * <pre>
 *   magic "ANTEATER" (8 bytes) | u16 version | UTF detector | UTF options fingerprint
 *   | i32 state length | state bytes (the detector's own) | u32 CRC-32 of everything before
 * </pre>
 * Decoding checks all of it before any state reaches a detector.
 */
public final class SnapshotCodec {
    static final byte[] MAGIC = "ANTEATER".getBytes(StandardCharsets.US_ASCII);
    public static final int VERSION = 1;

    private SnapshotCodec() {
    }

    public static byte[] encode(String detector, String fingerprint, Detector d) throws IOException {
        return encodeToByteString(detector, fingerprint, d).toByteArray();
    }

    /** A buffer whose bytes can be patched and wrapped without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(1 << 16);
        }

        void putInt(int at, int v) {
            buf[at] = (byte) (v >>> 24);
            buf[at + 1] = (byte) (v >>> 16);
            buf[at + 2] = (byte) (v >>> 8);
            buf[at + 3] = (byte) v;
        }

        byte[] array() {
            return buf;
        }
    }

    /**
     * The snapshot in one buffer (the state is written in place, its length patched in, the CRC computed over the
     * buffer and the result wrapped without a copy): a snapshot costs its size once, not five times.
     */
    public static com.google.protobuf.ByteString encodeToByteString(String detector, String fingerprint, Detector d) throws IOException {
        Buffer bytes = new Buffer();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeShort(VERSION);
        out.writeUTF(detector);
        out.writeUTF(fingerprint);
        int lengthAt = bytes.size();
        out.writeInt(0);
        d.save(out);
        out.flush();
        bytes.putInt(lengthAt, bytes.size() - lengthAt - 4);
        CRC32 crc = new CRC32();
        crc.update(bytes.array(), 0, bytes.size());
        out.writeInt((int) crc.getValue());
        out.flush();
        return com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes.array(), 0, bytes.size());
    }

    /** The header of a verified snapshot, and its state bytes (a view of the snapshot's, not a copy). */
    public record Decoded(String detector, String fingerprint, com.google.protobuf.ByteString stateBytes) {
        /** A copy of the state bytes. */
        public byte[] state() {
            return stateBytes.toByteArray();
        }
    }

    public static Decoded decode(byte[] bytes) throws SnapshotException {
        return decode(com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes));
    }

    /**
     * Verifies and splits a snapshot without copying it: a restore at the frame limit (a quarter of the heap) that
     * was copied twice on its way to the detector (the request's bytes to an array, the state out of it) needed four
     * times its size with the state loaded, and failed with an OutOfMemoryError although the agent had taken it.
     */
    public static Decoded decode(com.google.protobuf.ByteString bytes) throws SnapshotException {
        int size = bytes.size();
        if (size < MAGIC.length + 2 + 4 + 4 || !bytes.startsWith(com.google.protobuf.ByteString.copyFrom(MAGIC))) {
            throw new SnapshotException("not an anteater snapshot (" + size + " bytes, no ANTEATER header)");
        }
        try {
            DataInputStream in = new DataInputStream(bytes.newInput());
            in.skipNBytes(MAGIC.length);
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new SnapshotException("snapshot format version " + version + " is not readable by this anteater (reads " + VERSION + ")");
            }
            CRC32 crc = new CRC32();
            for (java.nio.ByteBuffer b : bytes.substring(0, size - 4).asReadOnlyByteBufferList()) crc.update(b);
            int stored = ((bytes.byteAt(size - 4) & 0xff) << 24) | ((bytes.byteAt(size - 3) & 0xff) << 16)
                    | ((bytes.byteAt(size - 2) & 0xff) << 8) | (bytes.byteAt(size - 1) & 0xff);
            if (stored != (int) crc.getValue()) {
                throw new SnapshotException("snapshot is corrupt or truncated (checksum mismatch, " + size + " bytes)");
            }
            String detector = in.readUTF();
            String fingerprint = in.readUTF();
            int len = in.readInt();
            if (len < 0 || len != in.available() - 4) {
                throw new SnapshotException("snapshot is corrupt: state length " + len + " does not match the frame");
            }
            return new Decoded(detector, fingerprint, bytes.substring(size - 4 - len, size - 4));
        } catch (IOException e) {
            throw new SnapshotException("snapshot is truncated or corrupt: " + e.getMessage());
        }
    }

    /** A snapshot that cannot be restored. */
    public static final class SnapshotException extends Exception {
        public SnapshotException(String message) {
            super(message);
        }
    }
}
