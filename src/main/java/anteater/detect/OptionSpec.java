package anteater.detect;

/**
 * One option of {@code @anteater()}.
 *
 * @param name         the TICKscript method name
 * @param kind         its value type
 * @param repeatable   whether it may be given more than once (values accumulate in script order)
 * @param defaultValue the value when absent (null: none)
 * @param help         one line for the README's options table
 */
public record OptionSpec(String name, OptionKind kind, boolean repeatable, Object defaultValue, String help) {
}
