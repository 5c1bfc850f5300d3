package anteater.detect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detectors by name. Factories are lambdas, so a detector's classes (and heavy libraries such as ND4J)
 * load only when a task asks for it, never for {@code info}.
 */
public final class Detectors {

    /** Makes a detector from checked options, or refuses them. */
    public interface Factory {
        Detector create(Options options) throws OptionException;
    }

    private static final Map<String, Factory> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("ttest", TTestDetector::create);
        FACTORIES.put("robustz", RobustZDetector::create);
        FACTORIES.put("entropy", EntropyDetector::create);
        FACTORIES.put("knncad", KnnCadDetector::create);
        // a lambda, so VaeDetector and ND4J load only when a vae task starts
        FACTORIES.put("vae", o -> anteater.detect.vae.VaeDetector.create(o));
    }

    private Detectors() {
    }

    public static List<String> names() {
        return List.copyOf(FACTORIES.keySet());
    }

    public static Detector create(Options options) throws OptionException {
        String name = options.detector();
        Factory f = FACTORIES.get(name);
        if (f == null) {
            throw new OptionException("option 'detector': unknown detector '" + name + "'; valid: "
                    + String.join(", ", names()));
        }
        return f.create(options);
    }
}
