package anteater.sink;

import anteater.detect.OptionException;

/**
 * The configuration file (or a section of it) is unusable. A kind of {@link OptionException} so that a task's
 * {@code init} refuses with this message, like a bad option.
 */
public class ConfigException extends OptionException {
    public ConfigException(String message) {
        super(message);
    }
}
