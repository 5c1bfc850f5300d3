package anteater.udf;

import java.io.IOException;

/** A frame that cannot be read: too large, truncated or not a Request. Fatal for the connection. */
public class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }

    public FrameException(String message, Throwable cause) {
        super(message, cause);
    }
}
