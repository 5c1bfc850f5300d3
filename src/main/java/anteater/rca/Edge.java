package anteater.rca;

/** A topology edge as gala-spider stores it: {@code from} relation {@code to}, e.g. proc runs_on host. */
public record Edge(String from, String to, String relation) {
}
