package anteater.rca;

/** Why a neighbourhood could not be read; the reason names the failure class for once-per-interval logging. */
public final class TopologyException extends Exception {

    public enum Reason {
        /** the topology store cannot be reached or answered with an error */
        UNAVAILABLE,
        /** the store did not answer within the timeout */
        TIMEOUT,
        /** no snapshot at or before the event time */
        NO_SNAPSHOT,
        /** the newest snapshot at or before the event time is older than the tolerance */
        SNAPSHOT_TOO_OLD,
        /** the anomalous entity is not in the snapshot */
        ENTITY_MISSING
    }

    private final Reason reason;

    public TopologyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public TopologyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
