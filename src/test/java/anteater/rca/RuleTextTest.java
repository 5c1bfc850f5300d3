package anteater.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A causal rule's text and a cause's keyword, case by case (found unchecked by mutation testing). */
class RuleTextTest {

    static String refused(String text) {
        return assertThrows(IllegalArgumentException.class, () -> CausalRule.parse(text), text).getMessage();
    }

    @Test
    void aRuleIsCauseArrowEffectAtScope() {
        assertEquals("a->b@host", CausalRule.parse("a->b@host").toString(), "the shortest rule");
        assertEquals("cpu->proc@edge", CausalRule.parse(" CPU -> Proc @ EDGE ").toString(), "types lower-cased, spaces trimmed");
        assertEquals("disk->proc@runs_on", CausalRule.parse("disk->proc@runs_on").toString());
        assertEquals(CausalRule.Scope.RELATION, CausalRule.parse("disk->proc@runs_on").scope());
        assertEquals("x", CausalRule.parse("a->b@cross:x").relation());
        for (String bad : new String[] {"->proc@host", "cpu@->proc", "cpu->proc@", "cpu proc", "cpu->proc"}) {
            String m = refused(bad);
            assertTrue(m.contains("expected cause->effect@scope") && m.contains("'" + bad + "'"), m);
        }
        String m = refused("cpu->@host");
        assertTrue(m.contains("empty entity type"), m);
        m = refused(" ->proc@host");
        assertTrue(m.contains("empty entity type") || m.contains("expected cause->effect@scope"), m);
        m = refused("cpu->proc@cross:");
        assertTrue(m.contains("bad scope 'cross:'"), "a cross rule needs its relation: " + m);
        m = refused("cpu->proc@runs on");
        assertTrue(m.contains("bad scope 'runs on'") && m.contains("valid: host, edge, sibling"), m);
    }

    @Test
    void theKeywordFollowsTheEntityTypeThenTheMetricName() {
        String[][] byType = {
            {"proc", "process"}, {"thread", "process"}, {"container", "process"}, {"sli", "process"},
            {"appinstance", "process"}, {"pod", "process"}, {"process", "process"},
            {"block", "disk"}, {"disk", "disk"}, {"fs", "disk"},
            {"tcp_link", "network"}, {"nic", "network"}, {"qdisc", "network"}, {"endpoint", "network"},
            {"udp", "network"}, {"tcp", "network"}, {"cpu", "cpu"}, {"mem", "memory"}, {"memory", "memory"},
        };
        for (String[] tk : byType) {
            assertEquals(tk[1], Keywords.of(tk[0], "cpu_mem_net_disk"), tk[0] + ": the type decides, not the metric");
            assertEquals(tk[1], Keywords.of(tk[0].toUpperCase(), null), tk[0] + " in capitals, no metric");
        }
        String[][] byMetric = {
            {"mem_used", "memory"}, {"CPU_usage", "cpu"}, {"net_drops", "network"}, {"tcp_retrans", "network"},
            {"nic_errors", "network"}, {"srtt", "network"}, {"disk_util", "disk"}, {"block_latency", "disk"},
            {"io_wait", "disk"}, {"read_io", "disk"}, {"bio_latency", "disk"}, {"x.io.y", "disk"}, {"a:io", "disk"},
            {"connection_count", "process"}, {"ratio", "process"}, {"session", "process"}, {"version", "process"},
            {"load1", "process"}, {"", "process"},
        };
        for (String[] mk : byMetric) {
            assertEquals(mk[1], Keywords.of("host", mk[0]), "host " + mk[0]);
            assertEquals(mk[1], Keywords.of(null, mk[0]), "no type, " + mk[0]);
        }
        assertEquals("process", Keywords.of(null, null));
        assertEquals("memory", Keywords.of("vm", "cpu_mem"), "memory is looked for first");
    }

    @Test
    void eachScopeFindsItsParents() {
        java.util.Map<String, Entity> es = new java.util.LinkedHashMap<>();
        for (String[] e : new String[][] {{"h1", "host", "m1"}, {"h2", "host", "m2"}, {"p1", "proc", "m1"}, {"p1b", "proc", "m1"},
                {"p2", "proc", "m2"}, {"c1", "cpu", "m1"}, {"c0", "cpu", ""}, {"q0", "proc", ""}, {"s1", "sli", "m1"},
                {"t1", "tcp_link", "m1"}}) {
            es.put(e[0], new Entity(e[0], e[1], e[2], java.util.Map.of()));
        }
        Neighbourhood n = new Neighbourhood("s1", 0, es, java.util.List.of(
                new Edge("p1", "h1", "runs_on"), new Edge("p2", "h1", "runs_on"), new Edge("p1b", "h1", "belongs_to"),
                new Edge("s1", "p1", "belongs_to"), new Edge("t1", "p1", "belongs_to"), new Edge("h1", "h2", "store_in")));
        var host = CausalRules.parse(java.util.List.of("cpu->proc@host")).parents(n);
        assertEquals(java.util.Set.of("c1"), host.get("p1"), "same machine");
        assertEquals(java.util.Set.of("c1"), host.get("p1b"));
        assertEquals(null, host.get("p2"), "another machine");
        assertEquals(null, host.get("q0"), "no machine: no host rule");
        var edge = CausalRules.parse(java.util.List.of("proc->host@edge")).parents(n);
        assertEquals(java.util.Set.of("p1", "p2", "p1b"), edge.get("h1"), "any relation");
        var relation = CausalRules.parse(java.util.List.of("proc->host@runs_on")).parents(n);
        assertEquals(java.util.Set.of("p1", "p2"), relation.get("h1"), "runs_on only");
        var cross = CausalRules.parse(java.util.List.of("proc->host@cross:runs_on")).parents(n);
        assertEquals(java.util.Set.of("p2"), cross.get("h1"), "runs_on from another machine only");
        var sibling = CausalRules.parse(java.util.List.of("tcp_link->sli@sibling")).parents(n);
        assertEquals(java.util.Set.of("t1"), sibling.get("s1"), "through their process");
        var hosts = CausalRules.parse(java.util.List.of("host->host@host", "host->host@store_in")).parents(n);
        assertEquals(java.util.Set.of("h1"), hosts.get("h2"), "never its own parent; store_in across machines");
        assertEquals(java.util.Set.of("h2"), hosts.get("h1"));
        assertEquals(2, CausalRules.parse(java.util.List.of("a->b@edge", "b->c@host")).rules().size());
    }
}
