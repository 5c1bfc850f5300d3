package anteater.rca;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table of which neighbour can cause which (gala-inference's rules, configurable), and the causal graph it
 * makes of a neighbourhood.
 */
public final class CausalRules {

    /**
     * gala-inference's rules. Same host: cpu, disk (via its blocks) and the host itself affect processes and
     * containers; a process can load a disk; a process's SLIs follow it; a nic affects tcp links, a tcp link the
     * SLIs of its process. Across hosts: along runs_on (VM host and its qemu process) and store_in.
     */
    public static final List<String> DEFAULTS = List.of(
            "cpu->proc@host",
            "disk->block@edge",
            "block->proc@host",
            "proc->disk@host",
            "proc->sli@edge",
            "container->proc@edge",
            "nic->tcp_link@host",
            "tcp_link->sli@sibling",
            "host->proc@runs_on",
            "host->container@runs_on",
            "proc->host@cross:runs_on",
            "host->host@store_in");

    private final List<CausalRule> rules;
    private final Map<String, List<CausalRule>> byEffect = new HashMap<>();

    public CausalRules(List<CausalRule> rules) {
        this.rules = List.copyOf(rules);
        for (CausalRule r : rules) byEffect.computeIfAbsent(r.effect(), k -> new ArrayList<>()).add(r);
    }

    public static CausalRules parse(List<String> texts) {
        List<CausalRule> rs = new ArrayList<>();
        for (String t : texts) rs.add(CausalRule.parse(t));
        return new CausalRules(rs);
    }

    public static CausalRules defaults() {
        return parse(DEFAULTS);
    }

    public List<CausalRule> rules() {
        return rules;
    }

    /**
     * The causal parents of every entity of {@code n}: {@code parents.get(b)} holds each {@code a} such that some
     * rule lets an anomaly of {@code a} cause one of {@code b}.
     */
    public Map<String, Set<String>> parents(Neighbourhood n) {
        Map<String, List<Entity>> byType = new HashMap<>();
        for (Entity e : n.entities().values()) byType.computeIfAbsent(e.type(), k -> new ArrayList<>()).add(e);
        Map<String, Set<String>> parents = new HashMap<>();
        for (Entity b : n.entities().values()) {
            Set<String> ps = new HashSet<>();
            for (CausalRule r : byEffect.getOrDefault(b.type(), List.of())) {
                switch (r.scope()) {
                    case HOST -> {
                        if (b.machineId().isEmpty()) break;
                        for (Entity a : byType.getOrDefault(r.cause(), List.of())) {
                            if (!a.id().equals(b.id()) && a.machineId().equals(b.machineId())) ps.add(a.id());
                        }
                    }
                    case EDGE, RELATION, CROSS_RELATION -> {
                        for (Edge e : n.incident(b.id())) {
                            if (r.scope() != CausalRule.Scope.EDGE && !e.relation().equals(r.relation())) continue;
                            Entity a = n.entity(Neighbourhood.other(e, b.id()));
                            if (a == null || a.id().equals(b.id()) || !a.type().equals(r.cause())) continue;
                            if (r.scope() == CausalRule.Scope.CROSS_RELATION && a.machineId().equals(b.machineId())) continue;
                            ps.add(a.id());
                        }
                    }
                    case SIBLING -> {
                        for (Edge e : n.incident(b.id())) {
                            String mid = Neighbourhood.other(e, b.id());
                            for (Edge f : n.incident(mid)) {
                                Entity a = n.entity(Neighbourhood.other(f, mid));
                                if (a != null && !a.id().equals(b.id()) && a.type().equals(r.cause())) ps.add(a.id());
                            }
                        }
                    }
                }
            }
            if (!ps.isEmpty()) parents.put(b.id(), ps);
        }
        return parents;
    }
}
