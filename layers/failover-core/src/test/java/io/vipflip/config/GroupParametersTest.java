package io.vipflip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vipflip.testing.GroupDocs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GroupParametersTest {
    private static final String ROOT = "/vipflip/prod";
    private final GroupParameters layout = new GroupParameters(ROOT);

    private static List<ConfigParameter> fifty() {
        return new ArrayList<>(GroupDocs.valid(ROOT, 50, 8080));
    }

    @Test
    void fiftyGroups_oneInvalid_theOthersLoad_andTheBadOneIsNamedWithItsField() {
        List<ConfigParameter> params = fifty();
        params.set(17, GroupDocs.parameter(ROOT, 17, GroupDocs.document(17, 8080, 0), 1));

        GroupParameters.Loaded loaded = layout.load(params);

        assertEquals(49, loaded.config().groups().size());
        assertTrue(loaded.config().group("g17").isEmpty(), "never half a group");
        assertEquals(List.of(new ParameterProblem("/vipflip/prod/groups/g17",
                List.of("probe.fall: must be between 1 and 100 (got 0)"), Optional.empty())), loaded.problems());
        assertEquals("/vipflip/prod/groups/g17: probe.fall: must be between 1 and 100 (got 0) (skipped)",
                loaded.problems().getFirst().describe());
        assertEquals(1, loaded.sources().get("g03").version());
    }

    @Test
    void aDocumentMustNameTheGroupOfItsParameter() {
        List<ConfigParameter> params = List.of(new ConfigParameter(ROOT + "/groups/api", GroupDocs.document(1, 80), 4,
                Instant.EPOCH));

        GroupParameters.Loaded loaded = layout.load(params);

        assertEquals(List.of(), loaded.config().groups());
        assertEquals(List.of("name: must be 'api', the last part of the parameter name (got 'g01')"),
                loaded.problems().getFirst().errors());
    }

    @Test
    void parametersThatAreNotGroupsOrSettings_areReportedAndIgnored() {
        List<ConfigParameter> params = fifty().subList(0, 1);
        List<ConfigParameter> all = new ArrayList<>(params);
        all.add(new ConfigParameter(ROOT + "/groups/g00/extra", "{}", 1, Instant.EPOCH));
        all.add(new ConfigParameter(ROOT + "/notes", "hello", 1, Instant.EPOCH));

        GroupParameters.Loaded loaded = layout.load(all);

        assertEquals(List.of("g00"), loaded.config().groups().stream().map(GroupConfig::name).toList());
        assertEquals(List.of(ROOT + "/groups/g00/extra", ROOT + "/notes"),
                loaded.problems().stream().map(ParameterProblem::parameter).toList());
    }

    @Test
    void settingsComeFromTheirOwnParameter_andBadSettingsFallBackToTheDefaults() {
        List<ConfigParameter> params = fifty();
        params.add(new ConfigParameter(ROOT + "/settings", "{\"leaseMillis\": 25000, \"historyTtlDays\": 7}", 1, Instant.EPOCH));
        GroupParameters.Loaded good = layout.load(params);
        // 25 s: a lease plus the 3 s end margin must fit the 30 s functions (TimingBudget, decision 25)
        assertEquals(Duration.ofSeconds(25), good.config().lease());
        assertEquals(Duration.ofDays(7), good.config().historyTtl());

        params.set(50, new ConfigParameter(ROOT + "/settings", "{\"leaseMillis\": 1, \"groups\": []}", 2, Instant.EPOCH));
        GroupParameters.Loaded bad = layout.load(params);

        assertEquals(Duration.ofMillis(ConfigParser.DEFAULT_LEASE_MILLIS), bad.config().lease());
        assertEquals(50, bad.config().groups().size());
        assertEquals(List.of("groups: not allowed in the settings document (each group has its own parameter)",
                "leaseMillis: must be between 2000 and 600000 (got 1)"), bad.problems().getFirst().errors());
    }

    @Test
    void anInvalidNewVersionOfARunningGroup_keepsTheLastValidVersionRunning_andIsReported() {
        GroupParameters.Loaded running = layout.load(fifty());
        List<ConfigParameter> next = fifty();
        next.set(5, GroupDocs.parameter(ROOT, 5, "{\"name\": \"g05\", \"vips\": [\"10.0.0.1\"]}", 2));

        GroupParameters.Loaded reloaded = layout.reload(next, running);

        assertEquals(running.config().group("g05"), reloaded.config().group("g05"));
        assertEquals(1, reloaded.sources().get("g05").version());
        ParameterProblem problem = reloaded.problems().getFirst();
        assertEquals(ROOT + "/groups/g05", problem.parameter());
        assertTrue(problem.errors().contains("vips[0]: must be an IPv4 CIDR such as 192.168.100.10/32 (got '10.0.0.1')"),
                problem.errors().toString());
        assertTrue(problem.errors().contains("nodes: is required (at least one node)"), problem.errors().toString());
        assertEquals(Optional.of("v1 of 2026-11-25T10:00:01Z"), problem.runningRevision());
        assertTrue(GroupParameters.diff(running, reloaded).isEmpty());
    }

    @Test
    void aNewGroupCannotTakeTheVipOfARunningGroup_evenWhenItsNameSortsFirst() {
        GroupParameters.Loaded running = layout.load(List.of(GroupDocs.parameter(ROOT, 7, GroupDocs.document(7, 80), 1)));
        String thief = GroupDocs.document(7, 80).replace("\"g07\"", "\"a-thief\"")
                .replace("i-a0000000000000007", "i-a00000000000000ff").replace("i-b0000000000000007", "i-b00000000000000ff");
        List<ConfigParameter> next = List.of(new ConfigParameter(ROOT + "/groups/a-thief", thief, 1, Instant.EPOCH),
                GroupDocs.parameter(ROOT, 7, GroupDocs.document(7, 80), 1));

        GroupParameters.Loaded reloaded = layout.reload(next, running);

        assertEquals(List.of("g07"), reloaded.config().groups().stream().map(GroupConfig::name).toList());
        assertEquals(List.of("vips[0]: VIP '192.168.200.7/32' is already routed by group 'g07'"),
                reloaded.problems().getFirst().errors());
    }

    @Test
    void diffNamesAddedChangedAndRemovedGroups() {
        GroupParameters.Loaded before = layout.load(fifty().subList(0, 3));
        List<ConfigParameter> next = new ArrayList<>(List.of(
                GroupDocs.parameter(ROOT, 0, GroupDocs.document(0, 8080), 1),
                GroupDocs.parameter(ROOT, 1, GroupDocs.document(1, 8080, 5), 2),
                GroupDocs.parameter(ROOT, 3, GroupDocs.document(3, 8080), 1)));

        GroupParameters.Change change = GroupParameters.diff(before, layout.reload(next, before));

        assertEquals(List.of("g03"), change.added());
        assertEquals(List.of("g01"), change.changed());
        assertEquals(List.of("g02"), change.removed());
    }

    @Test
    void aSettingsChangeWhileRunning_waitsForTheNextColdStart() {
        List<ConfigParameter> params = fifty().subList(0, 2);
        GroupParameters.Loaded running = layout.load(params);
        List<ConfigParameter> next = withSettings(params, "{\"leaseMillis\": 15000}", 1);

        assertEquals(running.config().lease(), layout.reload(next, running).config().lease());
    }

    @Test
    void theRootIsAnAbsolutePathWithoutATrailingSlash() {
        assertThrows(IllegalArgumentException.class, () -> new GroupParameters("vipflip/prod"));
        assertThrows(IllegalArgumentException.class, () -> new GroupParameters("/vipflip/prod/"));
        assertThrows(IllegalArgumentException.class, () -> new GroupParameters("/vipflip/pr od"));
        assertEquals("/vipflip/prod/groups/web", layout.groupParameter("web"));
        assertEquals("/vipflip/prod/settings", layout.settingsParameter());
        assertEquals(ROOT, layout.root());
    }

    @Test
    void anInvalidSettingsChangeWhileRunning_isReported_andAValidOneIsNot() {
        List<ConfigParameter> params = fifty().subList(0, 2);
        GroupParameters.Loaded running = layout.load(params);
        List<ConfigParameter> valid = withSettings(params, "{\"leaseMillis\": 15000}", 1);
        List<ConfigParameter> invalid = withSettings(params, "{\"leaseMillis\": 1}", 2);

        assertEquals(List.of(), layout.reload(valid, running).problems());
        assertEquals(List.of(new ParameterProblem(ROOT + "/settings",
                        List.of("leaseMillis: must be between 2000 and 600000 (got 1)"),
                        Optional.of("the settings loaded at cold start"))),
                layout.reload(invalid, running).problems());
    }

    @Test
    void groupsAreListedByName_whetherRunningOrNew() {
        GroupParameters.Loaded running = layout.load(List.of(GroupDocs.parameter(ROOT, 7, GroupDocs.document(7, 80), 1)));
        List<ConfigParameter> next = List.of(GroupDocs.parameter(ROOT, 7, GroupDocs.document(7, 80), 1),
                GroupDocs.parameter(ROOT, 3, GroupDocs.document(3, 80), 1));

        GroupParameters.Loaded reloaded = layout.reload(next, running);

        assertEquals(List.of("g03", "g07"), reloaded.config().groups().stream().map(GroupConfig::name).toList());
    }

    /** {@code params} and a settings parameter holding {@code json} at {@code version}. */
    private static List<ConfigParameter> withSettings(List<ConfigParameter> params, String json, long version) {
        List<ConfigParameter> all = new ArrayList<>(params);
        all.add(new ConfigParameter(ROOT + "/settings", json, version, Instant.EPOCH));
        return all;
    }
}
