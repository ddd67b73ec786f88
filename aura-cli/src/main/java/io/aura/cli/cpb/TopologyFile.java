package io.aura.cli.cpb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.aura.cascade.CascadeInputException;
import io.aura.cascade.graph.TopologySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a CPB topology file (JSON, format in {@code docs/cpb.md}) into a {@link TopologySpec}.
 *
 * <pre>{@code
 * {
 *   "name": "shop",                                    optional, default: the file name
 *   "acyclic": false,                                  optional: true makes a cycle an error
 *   "agents": [ {"id": "gateway", "role": "entry", "cpuMs": 1.5, "error": 0.001}, ... ],
 *   "edges":  [ {"from": "gateway", "to": "cart", "probability": 0.8,
 *                "multiplicity": 1 or [1, 3], "type": "rpc", "group": 0, "parallel": 0}, ... ],
 *   "entry":  {"gateway": 0.7, "search": 0.3},         optional: default equal shares over role entry
 *   "entryRate": 100                                   optional: total entry requests/s (default: the bridge's)
 * }
 * }</pre>
 *
 * <p>Errors come in two layers. Shape errors (malformed JSON, a missing or unknown key, a value of
 * the wrong JSON type, a non-integer multiplicity, a negative CPU demand) stop at the first one and
 * name its place as {@code file:line:column (json.path)} and what is expected there. Graph errors
 * (unknown agents, duplicate ids or edges, probabilities outside [0, 1], a cycle when
 * {@code "acyclic": true}) are {@link TopologySpec.Builder}'s, all reported at once.
 * Every error is a {@link TopologyFileException}, whose message is one line.
 */
public final class TopologyFile {
    /** Jackson's message for NaN, Infinity and -Infinity, which JSON has no numbers for. */
    private static final java.util.regex.Pattern NON_NUMERIC = java.util.regex.Pattern.compile("^Non-standard token '([^']*)'");
    private static final Set<String> TOP_KEYS = Set.of("name", "acyclic", "agents", "edges", "entry", "entryRate");
    private static final Set<String> AGENT_KEYS = Set.of("id", "role", "cpuMs", "error");
    private static final Set<String> EDGE_KEYS = Set.of("from", "to", "probability", "multiplicity", "type", "group",
            "parallel");

    private TopologyFile() {
    }

    /** A malformed or invalid topology file; the message is one line naming the place and the problem. */
    public static final class TopologyFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        TopologyFileException(String message) {
            super(message);
        }
    }

    /**
     * A read topology file.
     *
     * @param spec the validated topology
     * @param entryRatePerSec the file's total entry rate ("entryRate", requests/s), or NaN if it gives none
     */
    public record Loaded(TopologySpec spec, double entryRatePerSec) {
    }

    /**
     * Reads and validates a topology file.
     *
     * @param file the JSON file
     * @return the validated topology
     * @throws TopologyFileException if the file cannot be read, is malformed or describes an invalid graph
     */
    public static TopologySpec read(Path file) {
        return load(file).spec();
    }

    /**
     * Reads and validates a topology file, with its entry rate.
     *
     * @param file the JSON file
     * @return the topology and its entry rate
     * @throws TopologyFileException if the file cannot be read, is malformed or describes an invalid graph
     */
    public static Loaded load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TopologyFileException(file + ": no such file");
        } catch (IOException e) {
            throw new TopologyFileException(file + ": cannot read: " + e.getMessage());
        }
        String fileName = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        String defaultName = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        String json = new String(bytes, StandardCharsets.UTF_8);
        if (json.startsWith("\uFEFF")) { // a byte order mark (some Windows editors write one); RFC 8259 8.1 lets a parser ignore it
            json = json.substring(1);
        }
        return parseLoaded(file.toString(), json, defaultName);
    }

    /**
     * Parses topology JSON.
     *
     * @param source how errors name the input (a file name)
     * @param json the document
     * @param defaultName the topology name when the document has none
     * @return the validated topology
     * @throws TopologyFileException on any problem
     */
    public static TopologySpec parse(String source, String json, String defaultName) {
        return parseLoaded(source, json, defaultName).spec();
    }

    /** {@link #parse} with the entry rate. */
    public static Loaded parseLoaded(String source, String json, String defaultName) {
        Node root = Tree.read(source, json);
        return new Reader(source).topology(root, defaultName);
    }

    /** A JSON value with where it starts and its path from the root. */
    private record Node(Object value, String path, JsonLocation at) {
        String where(String source) {
            String p = path.isEmpty() ? "top level" : path;
            if (at == null) {
                return source + " (" + p + ")";
            }
            return source + ":" + at.getLineNr() + ":" + at.getColumnNr() + " (" + p + ")";
        }

        @SuppressWarnings("unchecked")
        Map<String, Node> object() {
            return (Map<String, Node>) value;
        }

        @SuppressWarnings("unchecked")
        List<Node> array() {
            return (List<Node>) value;
        }

        String kind() {
            return switch (value) {
                case null -> "null";
                case Map<?, ?> m -> "an object";
                case List<?> l -> "an array";
                case String s -> "a string";
                case Boolean b -> "a boolean";
                default -> "a number";
            };
        }
    }

    /** Builds a {@link Node} tree, remembering each value's start location (Jackson's tree nodes don't). */
    private static final class Tree {
        private final JsonParser p;
        private final String source;

        private Tree(JsonParser p, String source) {
            this.p = p;
            this.source = source;
        }

        static Node read(String source, String json) {
            JsonFactory f = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build();
            try (JsonParser p = f.createParser(json)) {
                Tree t = new Tree(p, source);
                if (p.nextToken() == null) {
                    throw new TopologyFileException(source + ": empty file; expected a JSON object with \"agents\"");
                }
                Node root = t.value("");
                if (p.nextToken() != null) {
                    JsonLocation at = p.currentTokenLocation();
                    throw new TopologyFileException(source + ":" + at.getLineNr() + ":" + at.getColumnNr()
                            + ": unexpected content after the top-level object");
                }
                return root;
            } catch (JsonProcessingException e) {
                JsonLocation at = e.getLocation();
                String loc = at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr();
                String msg = e.getOriginalMessage().lines().findFirst().orElse("").strip();
                java.util.regex.Matcher nonNumeric = NON_NUMERIC.matcher(msg);
                if (nonNumeric.find()) { // not Jackson's advice to enable a parser feature the operator cannot reach
                    msg = nonNumeric.group(1) + " is not a JSON number; write a finite number";
                }
                throw new TopologyFileException(source + loc + ": malformed JSON: " + msg);
            } catch (IOException e) {
                throw new TopologyFileException(source + ": cannot read: " + e.getMessage());
            }
        }

        private Node value(String path) throws IOException {
            JsonLocation at = p.currentTokenLocation();
            JsonToken t = p.currentToken();
            return switch (t) {
                case START_OBJECT -> {
                    Map<String, Node> m = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        m.put(key, value(path.isEmpty() ? key : path + "." + key));
                    }
                    yield new Node(m, path, at);
                }
                case START_ARRAY -> {
                    List<Node> l = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        l.add(value(path + "[" + l.size() + "]"));
                    }
                    yield new Node(l, path, at);
                }
                case VALUE_STRING -> new Node(p.getText(), path, at);
                case VALUE_NUMBER_INT -> new Node(p.getNumberValue(), path, at);
                case VALUE_NUMBER_FLOAT -> new Node(p.getDoubleValue(), path, at);
                case VALUE_TRUE -> new Node(Boolean.TRUE, path, at);
                case VALUE_FALSE -> new Node(Boolean.FALSE, path, at);
                case VALUE_NULL -> new Node(null, path, at);
                default -> throw new TopologyFileException(source + ":" + at.getLineNr() + ":" + at.getColumnNr()
                        + ": unexpected token " + t);
            };
        }
    }

    /** Checks shapes with located messages and feeds {@link TopologySpec.Builder}. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        Loaded topology(Node root, String defaultName) {
            Map<String, Node> top = object(root, "a JSON object with \"agents\", \"edges\" and optional \"entry\"");
            keys(root, TOP_KEYS);
            String name = top.containsKey("name") ? string(top.get("name"), "the topology's name") : defaultName;
            if (top.containsKey("name") && name.isBlank()) { // the builder would call it "topology", not the file's name
                throw fail(top.get("name"), "a blank name; expected the topology's name, or leave \"name\" out to use the file name");
            }
            TopologySpec.Builder b = TopologySpec.builder(name);
            if (top.containsKey("acyclic")) {
                b.forbidCycles(bool(top.get("acyclic"), "true or false"));
            }
            Node agents = top.get("agents");
            if (agents == null) {
                throw fail(root, "missing \"agents\": expected an array of {\"id\", \"role\"} objects");
            }
            List<Node> agentList = array(agents, "an array of agent objects {\"id\", \"role\", \"cpuMs\"?, \"error\"?}");
            if (agentList.isEmpty()) {
                throw fail(agents, "no agents; expected at least one agent object");
            }
            for (Node a : agentList) {
                agent(a, b);
            }
            Node edges = top.get("edges");
            if (edges != null) {
                for (Node e : array(edges, "an array of edge objects {\"from\", \"to\", \"probability\"?, \"multiplicity\"?, \"type\"?}")) {
                    edge(e, b);
                }
            }
            Node entry = top.get("entry");
            if (entry != null) {
                Map<String, Node> shares = object(entry, "an object mapping entry agent ids to traffic shares, e.g. {\"gateway\": 1}");
                double total = 0;
                boolean negative = false; // refused by the builder, naming the agent
                for (Map.Entry<String, Node> s : shares.entrySet()) {
                    double share = number(s.getValue(), "a traffic share (a number >= 0)");
                    total += share;
                    negative |= share < 0;
                    b.entry(s.getKey(), share);
                }
                if (!negative && !(total > 0)) { // nothing to normalise: no traffic would enter (the default mix was used instead)
                    throw fail(entry, "entry shares add up to " + total + "; give at least one entry agent a share > 0,"
                            + " or leave \"entry\" out for equal shares over the role-entry agents");
                }
            }
            double rate = Double.NaN;
            if (top.containsKey("entryRate")) {
                rate = number(top.get("entryRate"), "the total entry rate in requests/s (a number > 0)");
                if (!(rate > 0) || Double.isInfinite(rate) || rate > 1e7) {
                    throw fail(top.get("entryRate"), "entry rate " + rate + "; expected requests/s, a number > 0 and at most 1e7");
                }
            }
            try {
                return new Loaded(b.build(), rate);
            } catch (CascadeInputException e) {
                throw new TopologyFileException(source + ": " + e.getMessage());
            }
        }

        private void agent(Node a, TopologySpec.Builder b) {
            Map<String, Node> m = object(a, "an agent object {\"id\", \"role\", \"cpuMs\"?, \"error\"?}");
            keys(a, AGENT_KEYS);
            String id = string(required(a, "id", "the agent's id (a string)"), "the agent's id (a string)");
            String role = string(required(a, "role", "a role: entry, middle, leaf, cache, db, llm-provider or tool"),
                    "a role: entry, middle, leaf, cache, db, llm-provider or tool");
            long demandNs = TopologySpec.DEFAULT_CPU_DEMAND_NS;
            if (m.containsKey("cpuMs")) {
                double ms = number(m.get("cpuMs"), "the CPU demand per request in ms (a number > 0)");
                if (!(ms > 0) || ms > 3_600_000) {
                    throw fail(m.get("cpuMs"), "CPU demand " + ms + " ms; expected a number > 0 and at most 3600000 ms");
                }
                demandNs = Math.max(1, Math.round(ms * 1e6));
            }
            if (m.containsKey("error")) {
                double err = number(m.get("error"), "the intrinsic error probability (a number in [0, 1])");
                if (!(err >= 0 && err <= 1)) {
                    throw fail(m.get("error"), "intrinsic error " + err + "; expected a probability in [0, 1]");
                }
                b.agent(id, role, demandNs, err);
            } else {
                b.agent(id, role, demandNs);
            }
        }

        private void edge(Node e, TopologySpec.Builder b) {
            Map<String, Node> m = object(e, "an edge object {\"from\", \"to\", \"probability\"?, \"multiplicity\"?, \"type\"?}");
            keys(e, EDGE_KEYS);
            String from = string(required(e, "from", "the caller's agent id"), "the caller's agent id (a string)");
            String to = string(required(e, "to", "the callee's agent id"), "the callee's agent id (a string)");
            double p = m.containsKey("probability")
                    ? number(m.get("probability"), "the invocation probability (a number in [0, 1])") : 1.0;
            int min = 1;
            int max = 1;
            Node mult = m.get("multiplicity");
            if (mult != null) {
                String expected = "calls per invocation: an integer >= 1, or [min, max] with integers 1 <= min <= max";
                if (mult.value() instanceof List<?>) {
                    List<Node> range = mult.array();
                    if (range.size() != 2) {
                        throw fail(mult, range.size() + " elements; expected " + expected);
                    }
                    min = integer(range.get(0), expected);
                    max = integer(range.get(1), expected);
                    if (min > max) {
                        throw fail(mult, "range [" + min + ", " + max + "] is empty; expected " + expected);
                    }
                } else {
                    min = integer(mult, expected);
                    max = min;
                }
            }
            String type = m.containsKey("type") ? string(m.get("type"), "an edge type: rpc, async, db or mc") : "rpc";
            int group = groupNumber(m.get("group"), "an exclusive-group number, an integer >= 0 "
                    + "(edges of one caller with the same group are alternative routes)");
            int parallel = groupNumber(m.get("parallel"), "a parallel-group number, an integer >= 0 "
                    + "(edges of one caller with the same parallel group are called at once, and the caller "
                    + "waits for all of them)");
            b.edge(from, to, p, min, max, type, group, parallel);
        }

        /** An optional group id: −1 when absent, else an integer in [0, 1 000 000]. */
        private int groupNumber(Node n, String expected) {
            if (n == null) {
                return -1;
            }
            double g = n.value() instanceof Number v ? v.doubleValue() : Double.NaN;
            if (!(g >= 0 && g <= 1_000_000 && g == Math.rint(g))) {
                throw fail(n, "found " + describe(n) + "; expected " + expected);
            }
            return (int) g;
        }

        private static String describe(Node n) {
            return n.value() instanceof Number v ? v.toString() : n.kind();
        }

        private Node required(Node parent, String key, String expected) {
            Node v = parent.object().get(key);
            if (v == null) {
                throw fail(parent, "missing \"" + key + "\": expected " + expected);
            }
            return v;
        }

        private void keys(Node n, Set<String> allowed) {
            for (String k : n.object().keySet()) {
                if (!allowed.contains(k)) {
                    List<String> sorted = new ArrayList<>(allowed);
                    sorted.sort(null);
                    throw fail(n.object().get(k), "unknown key \"" + k + "\"; expected one of " + String.join(", ", sorted));
                }
            }
        }

        private Map<String, Node> object(Node n, String expected) {
            if (!(n.value() instanceof Map<?, ?>)) {
                throw fail(n, "found " + n.kind() + "; expected " + expected);
            }
            return n.object();
        }

        private List<Node> array(Node n, String expected) {
            if (!(n.value() instanceof List<?>)) {
                throw fail(n, "found " + n.kind() + "; expected " + expected);
            }
            return n.array();
        }

        private String string(Node n, String expected) {
            if (!(n.value() instanceof String s)) {
                throw fail(n, "found " + n.kind() + "; expected " + expected);
            }
            return s;
        }

        private boolean bool(Node n, String expected) {
            if (!(n.value() instanceof Boolean v)) {
                throw fail(n, "found " + n.kind() + "; expected " + expected);
            }
            return v;
        }

        private double number(Node n, String expected) {
            if (!(n.value() instanceof Number v)) {
                throw fail(n, "found " + n.kind() + "; expected " + expected);
            }
            return v.doubleValue();
        }

        private int integer(Node n, String expected) {
            if (!(n.value() instanceof Number v)) {
                throw fail(n, "found " + n.kind() + "; expected " + expected);
            }
            double d = v.doubleValue();
            if (d != Math.rint(d) || d < 1 || d > 1_000_000) {
                throw fail(n, "found " + v + "; expected " + expected);
            }
            return (int) d;
        }

        private TopologyFileException fail(Node n, String message) {
            return new TopologyFileException(n.where(source) + ": " + message);
        }
    }
}
