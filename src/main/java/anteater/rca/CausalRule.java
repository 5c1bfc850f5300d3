package anteater.rca;

import java.util.Locale;

/**
 * "An anomaly of a {@code cause}-type entity can make a neighbouring {@code effect}-type entity abnormal", with
 * the condition that makes the two neighbours. Written {@code cause->effect@scope}, e.g. {@code cpu->proc@host}.
 *
 * <p>Scopes: {@code host} (same machine_id), {@code edge} (joined by an edge of any relation), {@code sibling}
 * (both joined to one common entity, e.g. a tcp_link and an sli of the same proc), {@code <relation>} (joined by
 * an edge of that relation, either direction) and {@code cross:<relation>} (joined by that relation across two
 * machines, e.g. a VM's host and its qemu process).
 */
public record CausalRule(String cause, String effect, Scope scope, String relation) {

    public enum Scope { HOST, EDGE, SIBLING, RELATION, CROSS_RELATION }

    public static CausalRule parse(String text) {
        String t = text.trim();
        int arrow = t.indexOf("->");
        int at = t.indexOf('@');
        if (arrow <= 0 || at < arrow + 2 || at == t.length() - 1) {
            throw new IllegalArgumentException("rule '" + text + "': expected cause->effect@scope, e.g. cpu->proc@host;"
                    + " scope is host, edge, sibling, a relation (runs_on) or cross:<relation>");
        }
        String cause = t.substring(0, arrow).trim().toLowerCase(Locale.ROOT);
        String effect = t.substring(arrow + 2, at).trim().toLowerCase(Locale.ROOT);
        String scope = t.substring(at + 1).trim();
        if (cause.isEmpty() || effect.isEmpty()) throw new IllegalArgumentException("rule '" + text + "': empty entity type");
        return switch (scope.toLowerCase(Locale.ROOT)) {
            case "host" -> new CausalRule(cause, effect, Scope.HOST, "");
            case "edge" -> new CausalRule(cause, effect, Scope.EDGE, "");
            case "sibling" -> new CausalRule(cause, effect, Scope.SIBLING, "");
            default -> {
                if (scope.startsWith("cross:") && scope.length() > 6) {
                    yield new CausalRule(cause, effect, Scope.CROSS_RELATION, scope.substring(6));
                }
                if (!scope.matches("[A-Za-z0-9_]+")) {
                    throw new IllegalArgumentException("rule '" + text + "': bad scope '" + scope
                            + "'; valid: host, edge, sibling, <relation>, cross:<relation>");
                }
                yield new CausalRule(cause, effect, Scope.RELATION, scope);
            }
        };
    }

    @Override
    public String toString() {
        String s = switch (scope) {
            case HOST -> "host";
            case EDGE -> "edge";
            case SIBLING -> "sibling";
            case RELATION -> relation;
            case CROSS_RELATION -> "cross:" + relation;
        };
        return cause + "->" + effect + "@" + s;
    }
}
