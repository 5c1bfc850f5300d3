package anteater.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default when no Kafka is configured: each event is one JSON line appended to a file. Events of
 * the model topic go to {@code path}; any other topic T (e.g. the RCA topic) to {@code <path without .jsonl>.T.jsonl}
 * beside it. Lines are written whole in single appends, so several agent processes (stdio mode runs one per task)
 * can share the file. A file moved away or deleted (rotation) is noticed at the next write, which creates a new one.
 */
final class FilePublisher extends QueuedPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(FilePublisher.class);
    static final int BURST_BYTES = 64 * 1024;

    private final Path path;
    private final String modelTopic;
    private final Map<String, FileChannel> channels = new HashMap<>();
    /** The file each channel has open (its inode), to notice the path now names another file (rotated, deleted). */
    private final Map<String, Object> fileKeys = new HashMap<>();
    private final Map<String, ByteBuffer> pendingBytes = new HashMap<>();
    private final Map<String, Integer> pendingLines = new HashMap<>();
    private long lastWarnNs;
    private long writeFailures;

    FilePublisher(Path path, String modelTopic, int queueSize) throws ConfigException {
        super("file " + path, queueSize);
        this.path = path;
        this.modelTopic = modelTopic;
        try {
            channels.put(modelTopic, open(path));
            fileKeys.put(modelTopic, fileKey(path));
        } catch (IOException e) {
            throw new ConfigException("events file " + path + " cannot be written: " + e
                    + " (set Events.file in the config, or configure Kafka)");
        }
        LOG.info("no Kafka configured: anomaly events go to {} (JSON lines)", path);
        start();
    }

    static FileChannel open(Path p) throws IOException {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        return FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** The identity (device and inode) of the file at {@code p}, or null when there is none. */
    static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The file of a topic. */
    Path pathOf(String topic) {
        if (topic.equals(modelTopic)) return path;
        String file = path.getFileName().toString();
        String base = file.endsWith(".jsonl") ? file.substring(0, file.length() - 6) : file;
        String safe = topic.replaceAll("[^A-Za-z0-9._-]", "_");
        return path.resolveSibling(base + "." + safe + ".jsonl");
    }

    @Override
    protected boolean deliver(Msg m) {
        byte[] line = (m.json() + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buf = pendingBytes.computeIfAbsent(m.topic(), t -> ByteBuffer.allocate(BURST_BYTES));
        if (buf.remaining() < line.length && !flush(m.topic())) return false;
        if (line.length > buf.capacity()) {
            // a huge event: write it alone
            if (!write(m.topic(), ByteBuffer.wrap(line))) return false;
            succeed();
            return true;
        }
        buf.put(line);
        pendingLines.merge(m.topic(), 1, Integer::sum);
        return true;
    }

    @Override
    protected void idle() {
        for (String topic : pendingBytes.keySet()) flush(topic);
    }

    private boolean flush(String topic) {
        ByteBuffer buf = pendingBytes.get(topic);
        if (buf == null || buf.position() == 0) return true;
        buf.flip();
        boolean ok = write(topic, buf);
        if (!ok) {
            buf.compact(); // keep what was not written; position back at its end
            return false;
        }
        buf.clear();
        int n = pendingLines.getOrDefault(topic, 0);
        pendingLines.put(topic, 0);
        for (int i = 0; i < n; i++) succeed();
        return true;
    }

    private boolean write(String topic, ByteBuffer b) {
        int from = b.position();
        FileChannel ch = null;
        long start = -1;
        try {
            ch = channels.get(topic);
            Path p = pathOf(topic);
            if (ch != null && !java.util.Objects.equals(fileKeys.get(topic), fileKey(p))) {
                // moved away (logrotate's default) or deleted: before, lines went on into the moved file (then into
                // a deleted one once it was compressed) and never reached the path any more
                LOG.info("{}: {} was moved or deleted: writing to a new file there", name, p);
                channels.remove(topic);
                fileKeys.remove(topic);
                ch.close();
                ch = null;
            }
            if (ch == null) {
                ch = open(p);
                channels.put(topic, ch);
                fileKeys.put(topic, fileKey(p));
            }
            start = ch.size();
            // one write call per burst of whole lines: appends from other processes land between lines
            while (b.hasRemaining()) ch.write(b);
            return true;
        } catch (IOException e) {
            // a full device (or file size limit) can take part of the burst and refuse the rest: take the part back,
            // so the file never holds a partial line, and retry the whole burst later
            int written = b.position() - from;
            b.position(from);
            if (written > 0 && ch != null) takeBack(ch, start, written, topic);
            // a full disk fails every flush, every 200 ms while the queue is idle: say so once per interval, with the count
            writeFailures++;
            long now = System.nanoTime();
            if (writeFailures == 1 || now - lastWarnNs >= WARN_EVERY_NS) {
                lastWarnNs = now;
                LOG.warn("{}: cannot append to {}: {} ({} failed writes so far; retrying)", name, pathOf(topic), e,
                        writeFailures);
            }
            return false;
        }
    }

    private void takeBack(FileChannel ch, long start, int written, String topic) {
        try {
            if (ch.size() == start + written) {
                ch.truncate(start);
                return;
            }
        } catch (IOException ignored) {
            // reported below
        }
        LOG.warn("{}: {} ends with a partial line ({} bytes) that could not be taken back", name, pathOf(topic), written);
    }

    @Override
    protected void finish(Duration remaining) {
        idle();
        for (Map.Entry<String, Integer> e : pendingLines.entrySet()) {
            if (e.getValue() > 0) fail(e.getValue());
        }
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }

    Path path() {
        return path;
    }
}
