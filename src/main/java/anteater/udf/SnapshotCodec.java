package anteater.udf;

import anteater.detect.Detector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /** The header of a verified snapshot, and its state bytes. */
    public record Decoded(String detector, String fingerprint, byte[] state) {
    }

    public static Decoded decode(byte[] bytes) throws SnapshotException {
        if (bytes.length < MAGIC.length + 2 + 4 + 4 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new SnapshotException("not an anteater snapshot (" + bytes.length + " bytes, no ANTEATER header)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            in.skipNBytes(MAGIC.length);
            int version = in.readUnsignedShort();
            if (version != VERSION) {
                throw new SnapshotException("snapshot format version " + version + " is not readable by this anteater (reads " + VERSION + ")");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, bytes.length - 4);
            int stored = ((bytes[bytes.length - 4] & 0xff) << 24) | ((bytes[bytes.length - 3] & 0xff) << 16)
                    | ((bytes[bytes.length - 2] & 0xff) << 8) | (bytes[bytes.length - 1] & 0xff);
            if (stored != (int) crc.getValue()) {
                throw new SnapshotException("snapshot is corrupt or truncated (checksum mismatch, " + bytes.length + " bytes)");
            }
            String detector = in.readUTF();
            String fingerprint = in.readUTF();
            int len = in.readInt();
            if (len < 0 || len != in.available() - 4) {
                throw new SnapshotException("snapshot is corrupt: state length " + len + " does not match the frame");
            }
            byte[] state = in.readNBytes(len);
            return new Decoded(detector, fingerprint, state);
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
