package anteater.udf;

import anteater.detect.Detector;
import anteater.detect.Detectors;
import anteater.detect.OptionException;
import anteater.detect.OptionKind;
import anteater.detect.OptionSpec;
import anteater.detect.OptionTable;
import anteater.detect.NewPoints;
import anteater.detect.Options;
import anteater.detect.StateShapeChanged;
import anteater.detect.Verdict;
import anteater.detect.Window;
import anteater.sink.AnomalySink;
import anteater.rca.RcaLauncher;
import anteater.sink.Sinks;
import anteater.udf.proto.Udf;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code @anteater()}: options in, windows to detectors, verdicts out as points and anomalies to sinks. */
public final class AnomalyHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyHandler.class);

    private Options options;
    private Detector detector;
    private AnomalySink sink = AnomalySink.NONE;
    private final List<Verdict> verdicts = new ArrayList<>();
    /** Cuts what overlapping windows repeat, for detectors that judge each value once; null for the others. */
    private NewPoints newPoints;
    private long windowsSeen;
    private long anomalies;
    /** Fields of option 'field' that no window has had yet; each is named once in the log if a window lacks it. */
    private final java.util.Set<String> unseenFields = new java.util.LinkedHashSet<>();
    private final MergedSeriesCheck mergedSeries = new MergedSeriesCheck();

    @Override
    public Udf.InfoResponse info() {
        Udf.InfoResponse.Builder b = Udf.InfoResponse.newBuilder()
                .setWants(Udf.EdgeType.BATCH)
                .setProvides(Udf.EdgeType.STREAM);
        for (OptionSpec s : OptionTable.all()) {
            b.putOptions(s.name(), Udf.OptionInfo.newBuilder().addValueTypes(valueType(s.kind())).build());
        }
        return b.build();
    }

    static Udf.ValueType valueType(OptionKind k) {
        return switch (k) {
            case BOOL -> Udf.ValueType.BOOL;
            case INT -> Udf.ValueType.INT;
            case DOUBLE -> Udf.ValueType.DOUBLE;
            case STRING -> Udf.ValueType.STRING;
            case DURATION -> Udf.ValueType.DURATION;
        };
    }

    static Options toOptions(Udf.InitRequest req) throws OptionException {
        Options o = new Options();
        for (Udf.Option opt : req.getOptionsList()) {
            if (opt.getValuesCount() != 1) {
                throw new OptionException("option '" + opt.getName() + "' takes exactly one value, got " + opt.getValuesCount());
            }
            Udf.OptionValue v = opt.getValues(0);
            Object value = switch (v.getValueCase()) {
                case BOOLVALUE -> v.getBoolValue();
                case INTVALUE -> v.getIntValue();
                case DOUBLEVALUE -> v.getDoubleValue();
                case STRINGVALUE -> v.getStringValue();
                case DURATIONVALUE -> Duration.ofNanos(v.getDurationValue());
                case VALUE_NOT_SET -> null;
            };
            o.add(opt.getName(), value);
        }
        return o;
    }

    @Override
    public Udf.InitResponse init(Udf.InitRequest request) {
        if (detector != null) {
            return Udf.InitResponse.newBuilder().setSuccess(false).setError("init was already done for this node").build();
        }
        try {
            Options o = toOptions(request);
            Detector d = Detectors.create(o);
            AnomalySink s = null;
            try {
                s = Sinks.forTask(o);
                RcaLauncher.ensureStarted();
            } catch (OptionException | RuntimeException e) {
                d.close();
                if (s != null) s.close(Duration.ZERO);
                throw e;
            }
            options = o;
            detector = d;
            sink = s;
            if (d.judgesEachValueOnce()) newPoints = new NewPoints(o.maxGroups(), o.detector());
            if (!"vae".equals(o.detector())) unseenFields.addAll(o.getStrings("field")); // vae takes every field
            LOG.info("init {}", o.canonical());
            for (String n : o.names()) {
                String owner = anteater.detect.OptionTable.owner(n);
                if (owner != null && !owner.equals(o.detector())) {
                    LOG.warn("option '{}' is an option of detector {}; detector {} ignores it", n, owner, o.detector());
                }
            }
            return Udf.InitResponse.newBuilder().setSuccess(true).build();
        } catch (OptionException e) {
            LOG.warn("init refused: {}", e.getMessage());
            return Udf.InitResponse.newBuilder().setSuccess(false).setError(e.getMessage()).build();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("init failed: {}", e.toString());
            return Udf.InitResponse.newBuilder().setSuccess(false).setError("init failed: " + e).build();
        }
    }

    @Override
    public boolean ready() {
        return detector != null;
    }

    @Override
    public Udf.SnapshotResponse snapshot() {
        if (detector == null) return Udf.SnapshotResponse.getDefaultInstance();
        try {
            com.google.protobuf.ByteString bytes = SnapshotCodec.encodeToByteString(options.detector(), options.canonical(), detector);
            LOG.debug("snapshot {} bytes", bytes.size());
            return Udf.SnapshotResponse.newBuilder().setSnapshot(bytes).build();
        } catch (IOException | RuntimeException e) {
            LOG.error("snapshot failed: {}", e.toString());
            return Udf.SnapshotResponse.getDefaultInstance();
        } catch (OutOfMemoryError e) {
            // Kapacitor waits for the answer (its task's snapshotter stalls without one): it must come, even without the state
            LOG.error("snapshot failed: the state does not fit in memory twice ({}); lower maxGroups or raise -Xmx", e.toString());
            return Udf.SnapshotResponse.getDefaultInstance();
        }
    }

    @Override
    public Udf.RestoreResponse restore(Udf.RestoreRequest request) {
        if (detector == null) return restoreFailed("restore before a successful init");
        com.google.protobuf.ByteString bytes = request.getSnapshot(); // not copied: a restore may be a quarter of the heap
        try {
            SnapshotCodec.Decoded s = SnapshotCodec.decode(bytes);
            if (!s.detector().equals(options.detector())) {
                // the task was redefined with another detector: Kapacitor keeps the node's snapshot (until the task is
                // deleted) and sends it at every start; its state does not apply, and refusing it would fail every start
                return startEmpty("snapshot is from detector '" + s.detector() + "' but this task now uses '"
                        + options.detector() + "'; its state does not apply");
            }
            Detector fresh = detector.emptyCopy(options);
            if (!s.fingerprint().equals(options.canonical())) {
                LOG.warn("restore: options changed since the snapshot (was: {}); {}", s.fingerprint(), fresh.keptAcrossChangedOptions());
            }
            try (DataInputStream in = new DataInputStream(s.stateBytes().newInput())) {
                fresh.load(in);
                if (in.available() != 0) throw new IOException(in.available() + " unread bytes after the state");
            }
            detector.close();
            detector = fresh;
            LOG.info("restored {} bytes of {} state", bytes.size(), s.detector());
            return Udf.RestoreResponse.newBuilder().setSuccess(true).build();
        } catch (StateShapeChanged e) {
            // redefined with other sizing options: as with another detector, refusing would fail every start
            return startEmpty(e.getMessage() + "; its state does not fit");
        } catch (SnapshotCodec.SnapshotException e) {
            return restoreFailed(e.getMessage());
        } catch (java.io.EOFException e) {
            return restoreFailed("snapshot state could not be read: the detector state ends early (truncated)");
        } catch (IOException | RuntimeException e) {
            return restoreFailed("snapshot state could not be read: " + e.getMessage());
        } catch (OutOfMemoryError e) {
            // a length that passed every bound and still did not fit: the task must get its answer all the same
            return restoreFailed("snapshot state could not be read: it needs more memory than the agent has (" + e.getMessage() + ")");
        } catch (OptionException e) {
            return restoreFailed(e.getMessage());
        }
    }

    /** A snapshot of another configuration: answered with success and empty state, the reason in the log. */
    private Udf.RestoreResponse startEmpty(String why) {
        try {
            resetDetector();
        } catch (OptionException e) {
            return restoreFailed(why + "; and the detector could not be reset: " + e.getMessage());
        }
        LOG.warn("restore: {}; starting with empty state", why);
        return Udf.RestoreResponse.newBuilder().setSuccess(true).build();
    }

    /**
     * A snapshot that cannot be read fails the restore (and so Kapacitor's task start), naming why and how to start
     * afresh: Kapacitor keeps the snapshot until the task is deleted. The agent goes on, with empty state.
     */
    private Udf.RestoreResponse restoreFailed(String reason) {
        String why = detector == null ? reason : reason + " (Kapacitor keeps a task's snapshot until the task is deleted: "
                + "delete and define the task again to start with empty state)";
        LOG.warn("restore failed: {}; continuing with empty state", reason);
        if (detector != null) {
            try {
                resetDetector();
            } catch (OptionException e) {
                LOG.error("could not reset detector: {}", e.getMessage());
            }
        }
        return Udf.RestoreResponse.newBuilder().setSuccess(false).setError(why).build();
    }

    /** Empty state: a fresh detector of the task's options in place of the current one. */
    private void resetDetector() throws OptionException {
        Detector fresh = detector.emptyCopy(options);
        detector.close();
        detector = fresh;
    }

    @Override
    public void window(Window w, Consumer<Udf.Response> out) {
        windowsSeen++;
        if (windowsSeen == 1) {
            // in socket mode the one thing that tells this node's task apart: Kapacitor does not send the task's name
            List<String> fields = new java.util.ArrayList<>(w.allSeries().keySet());
            LOG.info("first window: {}, group {}, {} fields ({}{})", w.name(), w.group() == null || w.group().isEmpty()
                    ? "(no group-by)" : w.group(), fields.size(), String.join(", ", fields.subList(0, Math.min(5, fields.size()))),
                    fields.size() > 5 ? ", ..." : "");
        }
        if (!unseenFields.isEmpty()) checkFields(w);
        mergedSeries.check(w);
        verdicts.clear();
        Window fresh = newPoints == null ? w : newPoints.of(w);
        // an overlapping window whose values were all judged in earlier windows (the source paused) adds nothing
        if (fresh.points() == 0 && w.points() > 0) return;
        detector.process(fresh, verdicts);
        for (Verdict v : verdicts) {
            out.accept(Udf.Response.newBuilder().setPoint(toPoint(v, w)).build());
            if (v.anomaly() != null) {
                anomalies++;
                sink.publish(v.anomaly());
            }
        }
    }

    /**
     * A field the task names that a window with points lacks, and no window had before, is most likely misspelt (or
     * not numeric): its detector skips the points without it, so nothing at all would come out for it, and nothing
     * said why. Named once, with the numeric fields the window has.
     */
    private void checkFields(Window w) {
        for (java.util.Iterator<String> it = unseenFields.iterator(); it.hasNext(); ) {
            String f = it.next();
            if (w.series(f) != null) {
                it.remove();
            } else if (w.points() > 0) {
                it.remove();
                LOG.warn("field '{}' is in no window so far: this one ({}, {} points) has the numeric fields {}; check the "
                        + "name (case matters) and that the field is numeric: points without it are skipped, so nothing "
                        + "comes out for it", f, w.tags().isEmpty() ? w.name() : w.name() + " " + w.tags(), w.points(), new TreeSet<>(w.allSeries().keySet()));
            }
        }
    }

    static Udf.Point toPoint(Verdict v, Window w) {
        Udf.Point.Builder p = Udf.Point.newBuilder()
                .setName(v.name())
                .setTime(v.timeNs())
                .setByName(w.byName())
                .putAllTags(v.tags())
                // keep Kapacitor's grouping downstream: every tag we send is a group-by dimension
                .addAllDimensions(new TreeSet<>(v.tags().keySet()));
        for (Map.Entry<String, Object> f : v.fields().entrySet()) {
            Object x = f.getValue();
            if (x instanceof Double d) {
                // Kapacitor can carry an infinity but not pass it on: its alert handlers (log, post, tcp, exec) JSON-encode
                // the point and Go's encoder refuses +Inf (the alert is lost), InfluxDB refuses the write. As in the
                // events: the largest finite double in its place; a NaN (values whose squares overflow) is left out
                if (Double.isNaN(d)) continue;
                p.putFieldsDouble(f.getKey(), Double.isInfinite(d) ? Math.copySign(Double.MAX_VALUE, d) : d);
            }
            else if (x instanceof Long l) p.putFieldsInt(f.getKey(), l);
            else if (x instanceof Integer i) p.putFieldsInt(f.getKey(), i);
            else if (x instanceof Boolean b) p.putFieldsBool(f.getKey(), b);
            else if (x != null) p.putFieldsString(f.getKey(), x.toString());
        }
        return p.build();
    }

    @Override
    public void close() {
        if (detector != null) {
            LOG.info("closing after {} windows, {} anomalies", windowsSeen, anomalies);
            detector.close();
        }
        sink.close(Duration.ofSeconds(5));
    }
}
