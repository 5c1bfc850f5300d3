package anteater.detect;

/** A refused option: the message names the option and what is valid. */
public class OptionException extends Exception {
    public OptionException(String message) {
        super(message);
    }
}
