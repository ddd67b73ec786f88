package io.aura.cli.cpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aura.cascade.graph.TopologySpec;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class TopologyFileTest {
    private static final String AGENTS = "\"agents\": [{\"id\": \"a\", \"role\": \"entry\"}, {\"id\": \"b\", \"role\": \"middle\"}, "
            + "{\"id\": \"c\", \"role\": \"db\"}]";

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("truncated", "{\"agents\": [", "t.json:1:13: malformed JSON"),
                Arguments.of("empty file", "  ", "t.json: empty file; expected a JSON object with \"agents\""),
                Arguments.of("trailing garbage", "{" + AGENTS + "} x", "malformed JSON"),
                Arguments.of("duplicate key", "{" + AGENTS + ", \"agents\": []}", "malformed JSON: Duplicate field 'agents'"),
                Arguments.of("top-level array", "[1]", "t.json:1:1 (top level): found an array; expected a JSON object"),
                Arguments.of("no agents", "{\"edges\": []}", "(top level): missing \"agents\": expected an array"),
                Arguments.of("empty agents", "{\"agents\": []}", "(agents): no agents"),
                Arguments.of("entry shares all zero", "{" + AGENTS + ", \"entry\": {\"a\": 0}}",
                        "(entry): entry shares add up to 0.0; give at least one entry agent a share > 0"),
                Arguments.of("unknown top key", "{" + AGENTS + ", \"edge\": []}",
                        "(edge): unknown key \"edge\"; expected one of acyclic, agents, edges, entry, entryRate, name"),
                Arguments.of("agent not an object", "{\"agents\": [\"a\"]}", "(agents[0]): found a string; expected an agent object"),
                Arguments.of("agent without role", "{\"agents\": [{\"id\": \"a\"}]}", "(agents[0]): missing \"role\": expected a role: entry, middle"),
                Arguments.of("role is a number", "{\"agents\": [{\"id\": \"a\", \"role\": 3}]}",
                        "t.json:1:33 (agents[0].role): found a number; expected a role"),
                Arguments.of("unknown agent key", "{\"agents\": [{\"id\": \"a\", \"role\": \"entry\", \"cpu\": 2}]}",
                        "(agents[0].cpu): unknown key \"cpu\"; expected one of cpuMs, error, id, role"),
                Arguments.of("negative cpu", "{\"agents\": [{\"id\": \"a\", \"role\": \"entry\", \"cpuMs\": -1}]}",
                        "(agents[0].cpuMs): CPU demand -1.0 ms; expected a number > 0"),
                Arguments.of("error above one", "{\"agents\": [{\"id\": \"a\", \"role\": \"entry\", \"error\": 2}]}",
                        "(agents[0].error): intrinsic error 2.0; expected a probability in [0, 1]"),
                Arguments.of("unknown role", "{\"agents\": [{\"id\": \"a\", \"role\": \"boss\"}]}",
                        "agent 'a' has unknown role 'boss'"),
                Arguments.of("edges not an array", "{" + AGENTS + ", \"edges\": {}}", "(edges): found an object; expected an array of edge objects"),
                Arguments.of("edge without to", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\"}]}", "(edges[0]): missing \"to\""),
                Arguments.of("fractional multiplicity", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"multiplicity\": 1.5}]}",
                        "(edges[0].multiplicity): found 1.5; expected calls per invocation: an integer >= 1, or [min, max]"),
                Arguments.of("zero multiplicity", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"multiplicity\": 0}]}",
                        "(edges[0].multiplicity): found 0; expected"),
                Arguments.of("empty range", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"multiplicity\": [3, 1]}]}",
                        "(edges[0].multiplicity): range [3, 1] is empty"),
                Arguments.of("range of three", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"multiplicity\": [1, 2, 3]}]}",
                        "(edges[0].multiplicity): 3 elements; expected"),
                Arguments.of("probability as string", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"probability\": \"high\"}]}",
                        "(edges[0].probability): found a string; expected the invocation probability"),
                Arguments.of("unknown agent", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"x\"}]}",
                        "edge a -> x names unknown agent 'x'"),
                Arguments.of("probability above one", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"probability\": 1.5}]}",
                        "edge a -> b has invocation probability 1.5 outside [0, 1]"),
                Arguments.of("unknown edge type", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"type\": \"grpc\"}]}",
                        "unknown edge type 'grpc'"),
                Arguments.of("forbidden cycle", "{\"acyclic\": true, " + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\"}, "
                        + "{\"from\": \"b\", \"to\": \"c\"}, {\"from\": \"c\", \"to\": \"b\"}]}",
                        "cycle b -> c -> b (cycles are forbidden for this topology)"),
                Arguments.of("blank name", "{\"name\": \" \", " + AGENTS + "}",
                        "t.json:1:10 (name): a blank name; expected the topology's name, or leave \"name\" out to use the file name"),
                Arguments.of("acyclic not boolean", "{\"acyclic\": \"yes\", " + AGENTS + "}", "(acyclic): found a string; expected true or false"),
                Arguments.of("negative share", "{" + AGENTS + ", \"entry\": {\"a\": -1}}", "entry share of 'a' is -1.0"),
                Arguments.of("share of unknown agent", "{" + AGENTS + ", \"entry\": {\"z\": 1}}", "entry share names unknown agent 'z'"),
                Arguments.of("bad group", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"group\": -2}]}",
                        "(edges[0].group): found -2; expected an exclusive-group number"),
                Arguments.of("bad parallel", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"parallel\": \"yes\"}]}",
                        "(edges[0].parallel): found a string; expected a parallel-group number"),
                Arguments.of("group and parallel", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"group\": 0, "
                        + "\"parallel\": 1}]}", "edge a -> b is in exclusive group 0 and parallel group 1"),
                Arguments.of("zero entry rate", "{" + AGENTS + ", \"entryRate\": 0}", "(entryRate): entry rate 0.0; expected requests/s"),
                Arguments.of("no entry", "{\"agents\": [{\"id\": \"b\", \"role\": \"middle\"}]}", "no entry agents"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsWithOneLocatedLine(String name, String json, String expected) {
        assertThatThrownBy(() -> TopologyFile.parse("t.json", json, "t"))
                .isInstanceOf(TopologyFile.TopologyFileException.class)
                .hasMessageStartingWith("t.json")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    /**
     * NaN and Infinity are not JSON numbers. Jackson's message told the operator to "enable
     * `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS`", a parser setting they cannot reach; the message says what is wrong
     * in the file instead.
     */
    @Test
    void nonNumericNumbersAreNamedWithoutParserAdvice() {
        for (String bad : new String[] {"NaN", "Infinity", "-Infinity"}) {
            String json = "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\", \"probability\": " + bad + "}]}";
            assertThatThrownBy(() -> TopologyFile.parse("t.json", json, "t"))
                    .isInstanceOf(TopologyFile.TopologyFileException.class)
                    .hasMessageStartingWith("t.json:1:")
                    .hasMessageContaining("malformed JSON: " + bad + " is not a JSON number; write a finite number")
                    .hasMessageNotContaining("JsonReadFeature").hasMessageNotContaining("enable");
        }
    }

    /**
     * Some Windows editors save UTF-8 with a byte order mark. RFC 8259 (8.1) lets a parser ignore it; refusing it
     * ("Unexpected character ('\uFEFF' (code 65279 / 0xfeff))") pointed at a character the operator cannot see.
     */
    @Test
    void aByteOrderMarkBeforeTheJsonIsIgnored(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        Path f = dir.resolve("bom.json");
        byte[] json = ("{" + AGENTS + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] withBom = new byte[json.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(json, 0, withBom, 3, json.length);
        java.nio.file.Files.write(f, withBom);
        assertThat(TopologyFile.read(f).agents()).hasSize(3);
        // and a position after it is still counted from the first visible character
        java.nio.file.Files.write(f, ("\uFEFF{\"agents\": [{\"id\": \"a\", \"role\": 3}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThatThrownBy(() -> TopologyFile.read(f)).hasMessageContaining("bom.json:1:33 (agents[0].role)");
    }

    @Test
    void reportsTheLineAndColumnOfANestedValue() {
        String json = "{\n  \"agents\": [\n    {\"id\": \"a\", \"role\": \"entry\"},\n    {\"id\": \"b\", \"role\": \"db\", \"cpuMs\": \"x\"}\n  ]\n}";
        assertThatThrownBy(() -> TopologyFile.parse("f.json", json, "f"))
                .hasMessage("f.json:4:40 (agents[1].cpuMs): found a string; expected the CPU demand per request in ms (a number > 0)");
    }

    @Test
    void graphProblemsAreAllReportedAtOnce() {
        String json = "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"x\"}, {\"from\": \"b\", \"to\": \"c\", \"probability\": -0.5}]}";
        assertThatThrownBy(() -> TopologyFile.parse("t.json", json, "t"))
                .hasMessageContaining("2 problems")
                .hasMessageContaining("names unknown agent 'x'")
                .hasMessageContaining("invocation probability -0.5");
    }

    @Test
    void readsTheExampleFile() {
        TopologySpec spec = TopologyFile.read(Path.of("..", "examples", "topology-small.json"));
        assertThat(spec.name()).isEqualTo("small-shop");
        assertThat(spec.agents()).hasSize(12);
        assertThat(spec.edges()).hasSize(15);
        assertThat(spec.agents().get(0).id()).isEqualTo("gateway");
        assertThat(spec.agents().get(0).cpuDemandNs()).isEqualTo(500_000L);
        assertThat(spec.entryShare(0)).isEqualTo(0.8);
        assertThat(spec.entryShare(1)).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(spec.entryShare(2)).isZero();
        assertThat(spec.edges().get(5).type()).isEqualTo(io.aura.cascade.graph.ServiceGraph.EdgeType.ASYNC);
    }

    @Test
    void carriesRangesErrorsGroupsAndRate() {
        TopologyFile.Loaded l = TopologyFile.parseLoaded("t.json", "{" + AGENTS + ", \"entryRate\": 25, \"edges\": ["
                + "{\"from\": \"a\", \"to\": \"b\", \"probability\": 0.6, \"group\": 0},"
                + "{\"from\": \"a\", \"to\": \"c\", \"probability\": 0.4, \"group\": 0, \"multiplicity\": [2, 4]}]}", "t");
        assertThat(l.entryRatePerSec()).isEqualTo(25.0);
        TopologySpec.Edge e = l.spec().edges().get(1);
        assertThat(e.multiplicityMin()).isEqualTo(2);
        assertThat(e.multiplicityMax()).isEqualTo(4);
        assertThat(e.exclusiveGroup()).isZero();
        assertThat(l.spec().edges().get(0).exclusiveGroup()).isZero();
        TopologySpec ex = TopologyFile.read(Path.of("..", "examples", "topology-small.json"));
        assertThat(ex.agents().get(6).errorRate()).isEqualTo(0.002);
        assertThat(ex.edges().get(4).multiplicityMax()).isEqualTo(3);
        assertThat(TopologyFile.parseLoaded("t.json", "{" + AGENTS + "}", "t").entryRatePerSec()).isNaN();
    }

    @Test
    void parallelGroupsReachTheSimulator() {
        // a calls b and c at once (parallel group 0), then c again in sequence
        TopologySpec spec = TopologyFile.parse("t.json", "{" + AGENTS.replace("\"db\"", "\"middle\"") + ", \"edges\": ["
                + "{\"from\": \"a\", \"to\": \"b\", \"parallel\": 0},"
                + "{\"from\": \"b\", \"to\": \"c\"},"
                + "{\"from\": \"a\", \"to\": \"c\", \"parallel\": 0}]}", "t");
        assertThat(spec.edges().get(0).parallelGroup()).isZero();
        assertThat(spec.edges().get(1).parallelGroup()).isEqualTo(-1);
        io.aura.cascade.sim.SimTopology t = io.aura.cascade.sim.Families.fromSpec(spec, 0.2, 1);
        int a = 0;
        int first = t.edgeStart(a);
        assertThat(t.parallelFirst(first)).isEqualTo(first);
        assertThat(t.parallelEnd(first)).isEqualTo(first + 2);
        assertThat(t.parallelFirst(t.edgeStart(1))).isEqualTo(-1); // b -> c
    }

    @Test
    void defaultsApply() {
        TopologySpec spec = TopologyFile.parse("t.json", "{" + AGENTS + ", \"edges\": [{\"from\": \"a\", \"to\": \"b\"}]}", "fallback");
        assertThat(spec.name()).isEqualTo("fallback");
        assertThat(spec.agents().get(1).cpuDemandNs()).isEqualTo(TopologySpec.DEFAULT_CPU_DEMAND_NS);
        TopologySpec.Edge e = spec.edges().get(0);
        assertThat(e.invocationProbability()).isEqualTo(1.0);
        assertThat(e.multiplicity()).isEqualTo(1);
        assertThat(e.type()).isEqualTo(io.aura.cascade.graph.ServiceGraph.EdgeType.RPC);
        assertThat(spec.entryShare(0)).isEqualTo(1.0);
    }

    @Test
    void missingFileIsOneLine() {
        assertThatThrownBy(() -> TopologyFile.read(Path.of("no", "such.json")))
                .hasMessage(Path.of("no", "such.json") + ": no such file");
    }

    @Test
    void aTopologyWhoseCallsDivergeIsRefusedWithTheReason(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        // b and c message each other asynchronously twice per request: the expected calls grow without bound
        // (spectral radius 2). A family's seed would be redrawn; a user's file is refused, saying why.
        Path f = dir.resolve("loop.json");
        java.nio.file.Files.writeString(f, "{" + AGENTS.replace("\"db\"", "\"middle\"") + ", \"edges\": ["
                + "{\"from\": \"a\", \"to\": \"b\"},"
                + "{\"from\": \"b\", \"to\": \"c\", \"type\": \"async\", \"multiplicity\": 2},"
                + "{\"from\": \"c\", \"to\": \"b\", \"type\": \"async\", \"multiplicity\": 2}]}");
        assertThatThrownBy(() -> Sources.file(f, 1, 0.2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be provisioned").hasMessageContaining("do not terminate");
    }

    @Test
    void aTopologyThatNeedsTooManyThreadsNamesTheAgentByItsIdOnce(@org.junit.jupiter.api.io.TempDir Path dir)
            throws java.io.IOException {
        // api calls the db a million times per request: the design response time of web (and api) is hours, beyond
        // the thread rule's limit. The operator's file knows the first such agent as 'web', not as the simulator's 0.
        Path f = dir.resolve("fanout.json");
        java.nio.file.Files.writeString(f, "{\"name\": \"fanout\", \"agents\": [{\"id\": \"web\", \"role\": \"entry\"},"
                + "{\"id\": \"api\", \"role\": \"middle\"}, {\"id\": \"db\", \"role\": \"db\"}],"
                + "\"edges\": [{\"from\": \"web\", \"to\": \"api\"},"
                + "{\"from\": \"api\", \"to\": \"db\", \"multiplicity\": 1000000}]}");
        assertThatThrownBy(() -> Sources.file(f, 1, 0.2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ": topology 'fanout' cannot be provisioned: agent 'web' would need ")
                .hasMessageNotContaining("agent 0 ").hasMessageNotContaining("graph 'fanout'");
    }
}
