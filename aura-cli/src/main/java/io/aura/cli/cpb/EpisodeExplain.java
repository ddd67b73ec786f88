package io.aura.cli.cpb;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aura.cascade.sim.Action;
import io.aura.cascade.sim.EpisodeParams;
import io.aura.cascade.sim.EpisodeResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The outputs of {@code aura bench episode}: every agent id is the simulator's (the guard's permuted
 * ids are mapped back with the episode's permutation) and comes with its name.
 */
final class EpisodeExplain {
    /** Header of timeline.csv; the columns after {@code name} are {@link EpisodeCommand.Recorder}'s. */
    static final String TIMELINE_HEADER = "arm,t_s,agent,name,arrivals,successes,errors,rejected,timeouts,queue,in_flight,"
            + "thread_utilisation,cpu_utilisation,p99_ms,healthy_instances,in_attempts,in_failures,out_attempts,out_failures,"
            + "ever_failed,risk\n";

    private final List<String> names;
    private final int[] toReal;
    private final int[] watched;
    private final EpisodeParams params;

    /**
     * @param names agent names by simulator index
     * @param toReal the simulator's index of each guard id
     * @param watched the simulator indices of the --agents, in their order
     * @param params the episode parameters (for the duration)
     */
    EpisodeExplain(List<String> names, int[] toReal, int[] watched, EpisodeParams params) {
        this.names = names;
        this.toReal = toReal.clone();
        this.watched = watched.clone();
        this.params = params;
    }

    private String name(int real) {
        return real >= 0 && real < names.size() ? names.get(real) : "";
    }

    /** The simulator's index of guard id g, or −1 for "none" (a callee of −1: all callees or inbound). */
    private int real(int g) {
        return g >= 0 && g < toReal.length ? toReal[g] : -1;
    }

    /** The FAILED agents of every arm, by time. */
    void writeFailures(Path file, List<EpisodeCommand.Run> runs) throws IOException {
        StringBuilder sb = new StringBuilder("arm,agent,name,first_failed_s,seconds_after_fault\n");
        for (EpisodeCommand.Run r : runs) {
            double tf = r.result().faultTimeSec();
            for (int a : failedByTime(r.firstFailedSec())) {
                int t = r.firstFailedSec()[a];
                sb.append(String.format(Locale.ROOT, "%s,%d,%s,%d,%.1f%n", r.arm().name(), a, csv(name(a)), t, t - tf));
            }
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** Every applied action of every arm, in the order it took effect. */
    void writeActions(Path file, List<EpisodeCommand.Run> runs) throws IOException {
        StringBuilder sb = new StringBuilder("arm,t_s,kind,agent,agent_name,callee,callee_name,value,duration_ms\n");
        for (EpisodeCommand.Run r : runs) {
            for (EpisodeResult.AppliedAction aa : r.result().actionsApplied()) {
                Row row = row(aa.action());
                sb.append(String.format(Locale.ROOT, "%s,%.3f,%s,%d,%s,%s,%s,%s,%d%n", r.arm().name(), aa.timeNs() * 1e-9, row.kind,
                        row.agent, csv(name(row.agent)), row.callee < 0 ? "" : Integer.toString(row.callee),
                        row.callee < 0 ? "" : csv(name(row.callee)), row.value, aa.action().durationMs()));
            }
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** One row per watched agent, arm and second, as the guard saw it, with the FAILED state and the guard's risk. */
    void writeTimeline(Path file, List<EpisodeCommand.Run> runs) throws IOException {
        StringBuilder sb = new StringBuilder(TIMELINE_HEADER);
        for (EpisodeCommand.Run r : runs) {
            double[] risk = r.result().riskBySecond();
            int[] first = r.firstFailedSec();
            for (int sec = 1; sec <= params.durationSec(); sec++) {
                double[][] rows = sec - 1 < r.timeline().length ? r.timeline()[sec - 1] : null;
                for (int k = 0; k < watched.length; k++) {
                    int a = watched[k];
                    sb.append(r.arm().name()).append(',').append(sec).append(',').append(a).append(',').append(csv(name(a)));
                    for (int c = 0; c < EpisodeCommand.Recorder.COLUMNS; c++) {
                        sb.append(',');
                        if (rows != null && !Double.isNaN(rows[k][c])) {
                            sb.append(num(rows[k][c]));
                        }
                    }
                    sb.append(',').append(first[a] >= 0 && sec >= first[a] ? '1' : '0');
                    sb.append(',');
                    if (sec - 1 < risk.length && r.arm() instanceof Arm.Guarded) {
                        sb.append(num(risk[sec - 1]));
                    }
                    sb.append('\n');
                }
            }
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    /** episode.json: the manifest, and per arm its metrics, F0, FAILED agents and action counts. */
    ObjectNode json(List<EpisodeCommand.Run> runs, ObjectNode manifest) {
        ObjectNode root = RunOutputs.mapper().createObjectNode();
        root.set("manifest", manifest);
        ArrayNode arr = root.putArray("arms");
        for (EpisodeCommand.Run r : runs) {
            EpisodeResult e = r.result();
            ObjectNode o = arr.addObject();
            o.put("arm", r.arm().name());
            o.put("sut_version", r.arm().sutVersion());
            o.put("fault", e.faultApplied().name());
            o.put("t_f_s", e.faultTimeSec());
            ArrayNode f0 = o.putArray("faulted");
            for (int a : e.faultedAgents()) {
                f0.addObject().put("agent", a).put("name", name(a));
            }
            o.put("S", e.cascadeSize());
            o.put("S_peak", e.cascadePeak());
            o.put("availability", e.availability());
            o.put("crashes", e.crashes());
            o.put("actions", e.actionCount());
            o.put("trace_sha256", e.traceSha256());
            ArrayNode failed = o.putArray("failed");
            for (int a : failedByTime(r.firstFailedSec())) {
                failed.addObject().put("agent", a).put("name", name(a)).put("first_failed_s", r.firstFailedSec()[a]);
            }
            ObjectNode kinds = o.putObject("actions_by_kind");
            for (EpisodeResult.AppliedAction aa : e.actionsApplied()) {
                String k = row(aa.action()).kind;
                kinds.put(k, kinds.path(k).asInt(0) + 1);
            }
        }
        return root;
    }

    /**
     * A readable summary: one line per arm, then, against the first arm, the agents FAILED under one
     * and not the other (at most {@code limit} of each, earliest first).
     */
    String summary(List<EpisodeCommand.Run> runs, int limit) {
        StringBuilder sb = new StringBuilder();
        EpisodeResult first = runs.get(0).result();
        sb.append(String.format(Locale.ROOT, "fault %s at t_f = %.1f s on %s%n", first.faultApplied(), first.faultTimeSec(),
                first.faultedAgents().length == 0 ? "no single agent" : names(first.faultedAgents())));
        for (EpisodeCommand.Run r : runs) {
            EpisodeResult e = r.result();
            sb.append(String.format(Locale.ROOT, "  %-18s S %.4f  S_peak %.4f  availability %.4f  FAILED %d  actions %d%n", r.arm().name(),
                    e.cascadeSize(), e.cascadePeak(), e.availability(), failedByTime(r.firstFailedSec()).length, e.actionCount()));
        }
        EpisodeCommand.Run ref = runs.get(0);
        for (EpisodeCommand.Run r : runs.subList(1, runs.size())) {
            sb.append(only(r, ref, limit)).append(only(ref, r, limit));
        }
        return sb.toString();
    }

    private String only(EpisodeCommand.Run a, EpisodeCommand.Run b, int limit) {
        List<String> items = new ArrayList<>();
        int count = 0;
        for (int x : failedByTime(a.firstFailedSec())) {
            if (b.firstFailedSec()[x] < 0) {
                if (count++ < limit) {
                    items.add(name(x) + " @" + a.firstFailedSec()[x]);
                }
            }
        }
        return String.format(Locale.ROOT, "  FAILED under %s, not under %s: %d%s%n", a.arm().name(), b.arm().name(), count,
                items.isEmpty() ? "" : " (" + String.join(", ", items) + (count > limit ? ", ..." : "") + ")");
    }

    private String names(int[] agents) {
        List<String> out = new ArrayList<>();
        for (int a : agents) {
            out.add(name(a));
        }
        return String.join(", ", out);
    }

    /** Indices with a first FAILED tick, ordered by that tick, then by index. */
    static int[] failedByTime(int[] firstFailedSec) {
        return java.util.stream.IntStream.range(0, firstFailedSec.length).filter(a -> firstFailedSec[a] >= 0).boxed()
                .sorted(java.util.Comparator.<Integer>comparingInt(a -> firstFailedSec[a]).thenComparingInt(a -> a))
                .mapToInt(Integer::intValue).toArray();
    }

    /** An action in simulator ids: kind, agent, callee (−1: none, inbound or every callee) and value. */
    private record Row(String kind, int agent, int callee, String value) {
    }

    private Row row(Action a) {
        return switch (a) {
            case Action.RateLimit r -> new Row(r.callee() < 0 ? "rate_limit_inbound" : "rate_limit_edge", real(r.agent()), real(r.callee()),
                    num(r.rps()));
            case Action.Shed s -> new Row("shed", real(s.agent()), -1, num(s.fraction()));
            case Action.Isolate i -> new Row("isolate", real(i.agent()), -1, "");
            case Action.OpenBreaker b -> b.incoming() ? new Row("breaker_inbound", real(b.caller()), -1, "")
                    : new Row(b.callee() < 0 ? "breaker_all_callees" : "breaker_edge", real(b.caller()), real(b.callee()), "");
        };
    }

    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** A CSV field: quoted when it holds a comma, a quote or a line break. */
    static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
