package anteater.detect;

/** The value types of TICKscript options (Kapacitor's ValueType), as Java values. */
public enum OptionKind {
    BOOL(Boolean.class), INT(Long.class), DOUBLE(Double.class), STRING(String.class), DURATION(java.time.Duration.class);

    private final Class<?> javaType;

    OptionKind(Class<?> javaType) {
        this.javaType = javaType;
    }

    public Class<?> javaType() {
        return javaType;
    }
}
