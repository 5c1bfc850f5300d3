package anteater.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EntityTemplateTest {

    @Test
    void defaultTemplateIsMachineThenMeasurementThenOtherTagValuesByKey() {
        EntityTemplate t = EntityTemplate.parse(null);
        // ordered by tag key: client_ip < tgid
        assertEquals("m1_gala_gopher_tcp_link_10.0.0.1_1234", t.render("gala_gopher_tcp_link",
                Map.of("tgid", "1234", "machine_id", "m1", "client_ip", "10.0.0.1")));
    }

    @Test
    void missingPartsTakeTheirSeparatorWithThem() {
        EntityTemplate t = EntityTemplate.parse(EntityTemplate.DEFAULT);
        assertEquals("cpu_cpu-total_host1", t.render("cpu", Map.of("host", "host1", "cpu", "cpu-total")));
        assertEquals("m9_cpu", t.render("cpu", Map.of("machine_id", "m9")));
        assertEquals("cpu", t.render("cpu", Map.of()));
        assertEquals("a_c", EntityTemplate.parse("{a}_{b}_{c}").render("x", Map.of("a", "a", "c", "c")));
        assertEquals("a", EntityTemplate.parse("{a}_{b}_{c}").render("x", Map.of("a", "a")));
        assertEquals("host-h1", EntityTemplate.parse("host-{host}").render("x", Map.of("host", "h1")));
    }

    @Test
    void aTemplateWithNothingToFillNamesTheGroupByTheDefault() {
        // before: "" (refused by gala and by RCA's reader) and "host-" (every group without a host one entity)
        assertEquals("cpu_dc1", EntityTemplate.parse("{host}").render("cpu", Map.of("dc", "dc1")));
        assertEquals("m1_cpu_dc1", EntityTemplate.parse("host-{host}").render("cpu", Map.of("dc", "dc1", "machine_id", "m1")));
        assertEquals("unknown", EntityTemplate.parse("{host}").render("", Map.of()));
        assertEquals("unknown", EntityTemplate.parse(null).render(null, Map.of()));
        AnomalyEvent e = new EventFactory(EntityTemplate.parse("{host}"), "sys")
                .create(TestAnomalies.vaeLike(Map.of("tgid", "7"), TestAnomalies.T0_NS));
        assertEquals(e.entityId(), anteater.rca.GalaAnomalyJson.parse(EventJson.toJson(e)).entityId(),
                "our own RCA input reads it back");
        assertTrue(!e.entityId().isEmpty() && e.eventId().endsWith("_" + e.entityId()), e.eventId());
    }

    @Test
    void sanitisesLikeGala() {
        EntityTemplate t = EntityTemplate.parse("{measurement}_{tags}");
        assertEquals("disk_h:1_:dev:sda", t.render("disk", Map.of("path", "/dev/sda", "host", "h 1")));
        String id = t.render("m", Map.of("k", "x".repeat(400)));
        assertEquals(254, id.length());
        assertEquals("a-b:c.d@e(f)+g,h=i;j$k!l*m'n%o:p", EntityTemplate.sanitise("a-b:c.d@e(f)+g,h=i;j$k!l*m'n%o/p"));
        assertEquals("caf::", EntityTemplate.sanitise("caf\u00e9\u4e2d"));
        // each end of the three ranges kept, the character just outside each one replaced
        assertEquals(":az:AZ::09:", EntityTemplate.sanitise("`az{AZ[/09?"));
    }

    @Test
    void refusesBadTemplatesClearly() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntityTemplate.parse("{host"))
                .getMessage().contains("unclosed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntityTemplate.parse("fixed"))
                .getMessage().contains("no placeholder"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntityTemplate.parse("a}"))
                .getMessage().contains("without '{'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntityTemplate.parse("{}"))
                .getMessage().contains("valid: {measurement}"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> EntityTemplate.parse("{{host}"))
                .getMessage().contains("empty or nested placeholder at position 0"));
    }
}
