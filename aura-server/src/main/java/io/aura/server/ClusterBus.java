package io.aura.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicates;
import com.hazelcast.topic.ITopic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas of the server as one bus, through an embedded Hazelcast member per server
 * ({@code AURA_CLUSTER_MEMBERS}, or {@code AURA_CLUSTER_DNS} for Hazelcast's Kubernetes discovery by DNS;
 * PRODUCT.md: "beyond one node, a Hazelcast cluster"):
 * <ul>
 *   <li>a directory of which member each connected agent is on: the map {@value #DIRECTORY},
 *       partitioned by agent id with one backup, so it survives the loss of a member; the entries of a
 *       member that leaves are removed by the others;</li>
 *   <li>a message to an agent connected to another replica is enforced on the sender's replica (as
 *       always), then handed to the target's member, which delivers it to the agent's socket and says
 *       whether it could; the sender gets the usual ack or error frame;</li>
 *   <li>a created or revoked intervention is announced on the topic {@value #INTERVENTIONS}, and every
 *       replica reloads its enforcer from the shared database at once (otherwise within the 1-s tick).</li>
 * </ul>
 * Each replica's prediction loop sees the calls its own agents send (not the whole cluster's).
 */
final class ClusterBus implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterBus.class);

    static final String DIRECTORY = "aura-agent-members";
    static final String INTERVENTIONS = "aura-interventions";
    static final String EXECUTOR = "aura-relay";
    static final String BUS_KEY = "aura.bus";
    static final String COUNTERS_KEY = "aura.counters";
    static final String A2A_TASKS = "aura-a2a-tasks";
    /** An agent enrolled again (its connection elsewhere may hold a token that lost permissions): the agent's id. */
    static final String ENROLMENTS = "aura-enrolments";
    /** tasks/cancel of a task running on another replica: the task's id, to every member. */
    static final String A2A_CANCELS = "aura-a2a-cancels";
    /** Longest wait for another member to deliver a message. */
    static final long FORWARD_TIMEOUT_MS = 5_000;
    /** Longest wait for another member's counters: the prediction loop waits for them every tick. */
    static final long COUNTERS_TIMEOUT_MS = 500;

    private final HazelcastInstance hz;
    private final IMap<String, String> directory;
    private final ITopic<String> interventionEvents;
    private final IExecutorService executor;
    private final String self;
    private final io.micrometer.core.instrument.Counter reloads;
    /** Prediction-loop ticks whose cluster counters came from the leader, and those gathered from every replica. */
    private final io.micrometer.core.instrument.Counter fromLeader;
    private final io.micrometer.core.instrument.Counter gathered;

    ClusterBus(ServerConfig.Cluster config, MeterRegistry registry) {
        Config c = new Config();
        c.setClusterName(config.name());
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false"); // the server closes its member itself
        c.setProperty("hazelcast.graceful.shutdown.max.wait", "10"); // not Hazelcast's 600 s: a pod has a grace period
        // the port takes members only: no client protocol (which would let anyone who knows the cluster
        // name run tasks or read the directory), and Java deserialization only past Hazelcast's default filter
        com.hazelcast.config.AdvancedNetworkConfig an = c.getAdvancedNetworkConfig().setEnabled(true);
        com.hazelcast.config.ServerSocketEndpointConfig member = new com.hazelcast.config.ServerSocketEndpointConfig();
        member.setPort(config.port()).setPortAutoIncrement(false);
        if (config.host() != null) {
            member.getInterfaces().setEnabled(true).addInterface(config.host());
            c.setProperty("hazelcast.local.localAddress", config.host());
            c.setProperty("hazelcast.socket.bind.any", "false"); // listen on that address only, as documented
        }
        an.setMemberEndpointConfig(member);
        // Java serialization filtered (no gadget classes); the one class of ours that travels so is ListTasks' filter
        com.hazelcast.config.JavaSerializationFilterConfig filter = new com.hazelcast.config.JavaSerializationFilterConfig();
        filter.getWhitelist().addClasses(OwnerPrefix.class.getName());
        c.getSerializationConfig().setJavaSerializationFilterConfig(filter);
        JoinConfig j = an.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        if (config.dns() == null) {
            j.getTcpIpConfig().setEnabled(true).setMembers(config.members());
        } else {
            // Hazelcast's Kubernetes discovery in DNS lookup mode: the name's address records (a headless
            // service's ready pods) on this member's port; no Kubernetes API access, so no RBAC is needed
            j.getKubernetesConfig().setEnabled(true).setProperty("service-dns", config.dns())
                    .setProperty("service-port", String.valueOf(config.port()));
        }
        // a near cache of the directory on every member: a message's lookup is local; entries are
        // invalidated when the agent moves or leaves (a stale one costs one failed hand-over, then a fresh lookup)
        c.getMapConfig(DIRECTORY).setBackupCount(1).setNearCacheConfig(new com.hazelcast.config.NearCacheConfig()
                .setInvalidateOnChange(true).setInMemoryFormat(com.hazelcast.config.InMemoryFormat.OBJECT));
        // A2A tasks, for tasks/get on any replica: an hour, at most 16 MB a member (the least used go first), one backup
        c.getMapConfig(A2A_TASKS).setBackupCount(1).setTimeToLiveSeconds(3_600)
                .setEvictionConfig(new com.hazelcast.config.EvictionConfig().setEvictionPolicy(com.hazelcast.config.EvictionPolicy.LRU)
                        .setMaxSizePolicy(com.hazelcast.config.MaxSizePolicy.USED_HEAP_SIZE).setSize((int) (A2aEndpoint.KEPT_BYTES >> 20)));
        this.hz = Hazelcast.newHazelcastInstance(c);
        this.self = hz.getCluster().getLocalMember().getUuid().toString();
        this.directory = hz.getMap(DIRECTORY);
        this.interventionEvents = hz.getTopic(INTERVENTIONS);
        this.executor = hz.getExecutorService(EXECUTOR);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                LOG.info("cluster: member {} joined ({} members)", e.getMember().getAddress(), e.getMembers().size());
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                LOG.warn("cluster: member {} left ({} members); its agents are offline", e.getMember().getAddress(), e.getMembers().size());
                try {
                    directory.removeAll(Predicates.equal("this", e.getMember().getUuid().toString()));
                } catch (RuntimeException ex) {
                    LOG.warn("cluster: removing the agents of the member that left failed: {}", ex.toString());
                }
            }
        });
        this.reloads = io.micrometer.core.instrument.Counter.builder("aura.cluster.intervention.reloads")
                .description("Reloads of the enforcer announced by another replica's intervention change").register(registry);
        this.fromLeader = io.micrometer.core.instrument.Counter.builder("aura.cluster.counter.syncs").tag("source", "leader")
                .description("Prediction-loop ticks that took the cluster's counters from the leader (source=leader) or"
                        + " gathered them from every replica (source=replicas: the leader, or a replica the leader did not answer)")
                .register(registry);
        this.gathered = io.micrometer.core.instrument.Counter.builder("aura.cluster.counter.syncs").tag("source", "replicas")
                .description("Prediction-loop ticks that took the cluster's counters from the leader (source=leader) or"
                        + " gathered them from every replica (source=replicas: the leader, or a replica the leader did not answer)")
                .register(registry);
        Gauge.builder("aura.cluster.members", this, ClusterBus::members)
                .description("Members of the Hazelcast cluster this server belongs to").register(registry);
        LOG.info("cluster: member {} of '{}' with {} members", hz.getCluster().getLocalMember().getAddress(), config.name(),
                hz.getCluster().getMembers().size());
    }

    /** The A2A tasks of every replica: a Hazelcast map of the caller's subject and the task's JSON. */
    A2aEndpoint.TaskStore a2aTasks() {
        IMap<String, String> map = hz.getMap(A2A_TASKS);
        ITopic<String> cancels = hz.getTopic(A2A_CANCELS);
        com.fasterxml.jackson.databind.ObjectMapper plain = new com.fasterxml.jackson.databind.ObjectMapper(); // our own JSON: no limits
        return new A2aEndpoint.TaskStore() {
            @Override
            public void put(String taskId, String owner, ObjectNode task, String json) {
                try {
                    map.set(taskId, ownerLine(owner) + json);
                } catch (RuntimeException e) {
                    LOG.warn("cluster: keeping A2A task {} failed (tasks/get will not find it): {}", taskId, e.toString());
                }
            }

            @Override
            public A2aEndpoint.Kept get(String taskId) {
                try {
                    String v = map.get(taskId);
                    if (v == null) {
                        return null;
                    }
                    int cut = v.indexOf('\n');
                    return new A2aEndpoint.Kept(plain.readTree(v.substring(0, cut)).asText(), (ObjectNode) plain.readTree(v.substring(cut + 1)),
                            v.length());
                } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                    LOG.warn("cluster: reading A2A task {} failed: {}", taskId, e.toString());
                    return null;
                }
            }

            @Override
            public java.util.List<A2aEndpoint.Kept> list(String owner) {
                String prefix = ownerLine(owner);
                java.util.List<A2aEndpoint.Kept> mine = new java.util.ArrayList<>();
                try { // the members filter their own entries: only the caller's tasks cross the network
                    for (String v : map.values(new OwnerPrefix(prefix))) {
                        mine.add(new A2aEndpoint.Kept(owner, (ObjectNode) plain.readTree(v.substring(prefix.length())), v.length()));
                    }
                } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                    LOG.warn("cluster: listing A2A tasks failed: {}", e.toString());
                }
                return mine;
            }

            @Override
            public boolean askToCancel(String taskId) {
                try {
                    cancels.publish(taskId);
                    return true;
                } catch (RuntimeException e) {
                    LOG.warn("cluster: asking the replicas to cancel A2A task {} failed: {}", taskId, e.toString());
                    return false;
                }
            }

            @Override
            public void onCancelAsked(java.util.function.Consumer<String> handler) {
                cancels.addMessageListener(m -> handler.accept(m.getMessageObject()));
            }
        };
    }

    /**
     * The first line of a kept A2A task's value: its caller's subject as a JSON string (so that a
     * subject holding a newline cannot end the line early and pass for another caller) and a newline.
     */
    static String ownerLine(String owner) {
        return Json.write(com.fasterxml.jackson.databind.node.TextNode.valueOf(owner)) + "\n";
    }

    /** A kept A2A task's entry whose value begins with its caller's {@link #ownerLine} (run on each member). */
    record OwnerPrefix(String prefix) implements com.hazelcast.query.Predicate<String, String> {
        @Override
        public boolean apply(java.util.Map.Entry<String, String> e) {
            return e.getValue() != null && e.getValue().startsWith(prefix);
        }
    }

    /** Lets the other members ask this one's prediction loop for its merged counters (when it leads). */
    void bindCounters(ClusterCounters counters) {
        hz.getUserContext().put(COUNTERS_KEY, counters);
    }

    /** Lets the other members deliver to this server's bus and wakes its enforcer on their interventions. */
    void bind(Bus bus, Interventions interventions) {
        hz.getUserContext().put(BUS_KEY, bus);
        interventionEvents.addMessageListener(m -> {
            if (!self.equals(m.getMessageObject())) {
                try {
                    interventions.refresh();
                    reloads.increment();
                } catch (RuntimeException e) {
                    LOG.warn("cluster: reloading interventions failed: {}", e.toString());
                }
            }
        });
        // off the event thread: the check reads the database
        hz.<String>getTopic(ENROLMENTS).addMessageListener(m -> Thread.ofVirtual().name("aura-enrolment-check")
                .start(() -> bus.enrolmentChanged(m.getMessageObject())));
    }

    /** Tells every replica that an agent was enrolled again (one holding its connection checks the token). */
    void enrolmentChanged(String agentId) {
        try {
            hz.<String>getTopic(ENROLMENTS).publish(agentId);
        } catch (RuntimeException e) { // the connection elsewhere keeps its token until it reconnects or expires
            LOG.warn("cluster: announcing the enrolment of {} failed: {}", agentId, e.toString());
        }
    }

    /**
     * An agent connected here (a failure is repaired by the next {@link #reassert}). When the directory
     * named another replica, that replica holds an older connection of the agent: it is told to close it
     * (4000), as a newer connection on the same replica does, so that one token holds one socket in the
     * cluster. Two sockets, one per replica, each had its own rate-limit bucket: the agent could send
     * at the limit times the replica count.
     */
    void connected(String agentId) {
        try {
            directory.putAsync(agentId, self).toCompletableFuture().whenComplete((previous, failure) -> {
                if (failure != null) {
                    LOG.warn("cluster: recording agent {} failed: {}", agentId, failure.toString());
                } else if (previous != null && !previous.equals(self)) {
                    replacedOn(previous, agentId);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("cluster: recording agent {} failed: {}", agentId, e.toString());
        }
    }

    /** Tells the member {@code member} that {@code agentId} connected to this one since (nothing if it has left). */
    private void replacedOn(String member, String agentId) {
        try {
            for (var m : hz.getCluster().getMembers()) {
                if (m.getUuid().toString().equals(member)) {
                    executor.submitToMember(new Replaced(agentId), m);
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: telling another replica that agent {} connected here failed: {}", agentId, e.toString());
        }
    }

    /**
     * The member the directory names for the agent, read from the entry itself: this member's near cache
     * may still hold its own earlier put (invalidations come in batches); null if none.
     */
    private String ownerPastNearCache(String agentId) {
        com.hazelcast.core.EntryView<String, String> e = directory.getEntryView(agentId);
        return e == null ? null : e.getValue();
    }

    /** Whether the directory names this replica for the agent (it connected here last), read past the near cache. */
    boolean holds(String agentId) {
        try {
            return self.equals(ownerPastNearCache(agentId));
        } catch (RuntimeException e) {
            LOG.warn("cluster: looking up agent {} failed: {}", agentId, e.toString());
            return true; // unknown: keep the connection
        }
    }

    /** An agent's last connection here closed. */
    void disconnected(String agentId) {
        try {
            directory.remove(agentId, self); // only if it still names this member (a race with a reconnection here is repaired by reassert)
        } catch (RuntimeException e) {
            LOG.warn("cluster: removing agent {} failed: {}", agentId, e.toString());
        }
    }

    /**
     * Once a second: every agent connected here is named as here in the directory (an entry lost to
     * a race of reconnections, a member list that lagged or a split is restored), and no entry names
     * this member for an agent that is not connected here.
     */
    void reassert(java.util.Set<String> local) {
        try {
            if (!local.isEmpty()) {
                java.util.Map<String, String> now = directory.getAll(local);
                for (String a : local) {
                    if (!self.equals(now.get(a))) {
                        directory.set(a, self);
                    }
                }
            }
            for (String a : directory.keySet(Predicates.equal("this", self))) {
                if (!local.contains(a)) {
                    directory.remove(a, self);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: repairing the directory failed: {}", e.toString());
        }
    }

    /** Tells the other replicas that the interventions changed. */
    void interventionsChanged() {
        interventionEvents.publish(self);
    }

    /**
     * Delivers a relay frame to an agent connected to another member.
     *
     * @return {@code delivered}, {@code permission_denied}, {@code agent_offline}, or null when no other
     *     member holds the agent (or its member does not answer within {@value #FORWARD_TIMEOUT_MS} ms)
     */
    String forward(String to, String frame) {
        try {
            String member = directory.getAsync(to).toCompletableFuture().get(FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (self.equals(member)) {
                // the caller found no connection here: this member's near cache still holds its own put of an agent
                // that connected to another member since (whose put's invalidation comes in a batch)
                member = ownerPastNearCache(to);
            }
            if (member == null || member.equals(self)) {
                return null;
            }
            for (var m : hz.getCluster().getMembers()) {
                if (m.getUuid().toString().equals(member)) {
                    return executor.submitToMember(new Deliver(to, frame), m).get(FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                }
            }
            return null; // a member this one does not (yet) know: its own reassert keeps the entry right
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // a timed-out hand-over may still be delivered: the sender is told the agent is unreachable now
            LOG.warn("cluster: handing a message for {} to another member failed: {}", to, e.toString());
            return null;
        }
    }

    /** Whether an agent is connected to some replica (the directory's near cache answers most lookups). */
    boolean knows(String agentId) {
        try { // a refusal's socket thread must not wait on a lost member: a short limit, unknown beyond it
            return directory.getAsync(agentId).toCompletableFuture().get(KNOWS_TIMEOUT_MS, TimeUnit.MILLISECONDS) != null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.debug("cluster: looking up agent {} failed: {}", agentId, e.toString());
            return false;
        }
    }

    /** How long a refusal waits to learn whether its target is connected to another replica. */
    static final long KNOWS_TIMEOUT_MS = 200;

    /** Agents connected to any replica. */
    java.util.Set<String> onlineAgents() {
        try {
            return new java.util.HashSet<>(directory.keySet());
        } catch (RuntimeException e) {
            LOG.warn("cluster: reading the directory failed: {}", e.toString());
            return java.util.Set.of(); // this replica's own agents only
        }
    }

    /** The other replicas' own topologies (JSON); a replica that does not answer within the timeout is left out. */
    java.util.List<String> peerTopologies() {
        return askPeers(LocalTopology::new, FORWARD_TIMEOUT_MS, "topology");
    }

    /**
     * Runs a task on every other member and collects the answers; a member that fails or does not
     * answer within {@code timeoutMs} (one deadline for all) is left out, with a warning naming {@code what}.
     */
    private <T> java.util.List<T> askPeers(java.util.function.Supplier<Callable<T>> task, long timeoutMs, String what) {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (T t : askEachPeer(task, timeoutMs, what).values()) {
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    /** {@link #askPeers}, by member id, with null for a member that failed or did not answer in time. */
    private <T> java.util.Map<String, T> askEachPeer(java.util.function.Supplier<Callable<T>> task, long timeoutMs, String what) {
        java.util.Map<String, T> out = new java.util.HashMap<>();
        java.util.Map<com.hazelcast.cluster.Member, java.util.concurrent.Future<T>> futures = new java.util.HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            for (var m : hz.getCluster().getMembers()) {
                if (!m.localMember()) {
                    out.put(m.getUuid().toString(), null);
                    futures.put(m, executor.submitToMember(task.get(), m));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cluster: asking the other members for their {} failed: {}", what, e.toString());
        }
        for (var e : futures.entrySet()) {
            try {
                out.put(e.getKey().getUuid().toString(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return out;
            } catch (ExecutionException | TimeoutException | RuntimeException ex) {
                LOG.warn("cluster: member {} did not send its {}: {}", e.getKey().getAddress(), what, ex.toString());
            }
        }
        return out;
    }

    /**
     * A task one member runs on another, reading what that member's user context holds (its bus, its
     * prediction loop's counters): Hazelcast's DataSerializable rather than Java serialization, which
     * cost more than the hand-over itself. No state of its own unless a subclass writes some.
     */
    abstract static class ContextTask<T> implements Callable<T>, com.hazelcast.nio.serialization.DataSerializable,
            HazelcastInstanceAware {
        private transient HazelcastInstance instance;

        @Override
        public void setHazelcastInstance(HazelcastInstance instance) {
            this.instance = instance;
        }

        @Override
        public T call() {
            return call(instance.getUserContext());
        }

        /** The answer, from the running member's user context. */
        abstract T call(Map<String, Object> context);

        @Override
        public void writeData(com.hazelcast.nio.ObjectDataOutput out) throws java.io.IOException {
        }

        @Override
        public void readData(com.hazelcast.nio.ObjectDataInput in) throws java.io.IOException {
        }
    }

    /** A task run on another member's bus. */
    abstract static class BusTask extends ContextTask<String> {
        @Override
        final String call(Map<String, Object> context) {
            return onBus((Bus) context.get(BUS_KEY));
        }

        /** The answer, on the bus of the member that runs it (null when that member has none yet). */
        abstract String onBus(Bus bus);
    }

    /** The task a member runs to send its own topology. */
    public static final class LocalTopology extends BusTask {
        /** For deserialization too. */
        public LocalTopology() {
        }

        @Override
        String onBus(Bus bus) {
            return bus == null ? "{\"online_agents\":[],\"edges\":[]}" : Json.write(bus.localTopologyJson());
        }
    }

    /** Every other replica's bus counters ({@link ClusterCounters#snapshot}) by member id; null for one that did not answer in time. */
    java.util.Map<String, byte[]> peerCounters() {
        gathered.increment();
        return askEachPeer(LocalCounters::new, COUNTERS_TIMEOUT_MS, "counters");
    }

    /**
     * The leader's newest merged counters ({@link ClusterCounters#merged}); null when this member is
     * the leader, or the leader has none yet or does not answer within {@value #COUNTERS_TIMEOUT_MS} ms.
     */
    byte[] leaderCounters() {
        try {
            var oldest = hz.getCluster().getMembers().iterator().next();
            if (oldest.localMember()) {
                return null;
            }
            byte[] b = executor.submitToMember(new MergedCounters(), oldest).get(COUNTERS_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (b == null || b.length == 0) {
                return null; // the leader has not gathered yet
            }
            fromLeader.increment();
            return b;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("cluster: the leader did not send its merged counters (gathering them here this tick): {}", e.toString());
            return null;
        }
    }

    /** The task the leader runs to send its merged counters (an empty array when it has none). */
    public static final class MergedCounters extends ContextTask<byte[]> {
        /** For deserialization too. */
        public MergedCounters() {
        }

        @Override
        byte[] call(Map<String, Object> context) {
            ClusterCounters c = (ClusterCounters) context.get(COUNTERS_KEY);
            byte[] m = c == null ? null : c.merged();
            return m == null ? new byte[0] : m;
        }
    }

    /**
     * Whether this member is the cluster's oldest (Hazelcast's master, the first of the member list):
     * the one replica whose prediction loop applies interventions under AURA_POLICY=auto.
     */
    boolean leader() {
        try {
            return hz.getLifecycleService().isRunning() && hz.getCluster().getMembers().iterator().next().localMember();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The task a member runs to send its bus counters to another member's prediction loop. */
    public static final class LocalCounters extends ContextTask<byte[]> {
        /** For deserialization too. */
        public LocalCounters() {
        }

        @Override
        byte[] call(Map<String, Object> context) {
            Bus bus = (Bus) context.get(BUS_KEY);
            return ClusterCounters.snapshot(bus, System.nanoTime());
        }
    }

    /** Members in the cluster; 0 once this member has stopped. */
    int members() {
        try {
            return hz.getLifecycleService().isRunning() ? hz.getCluster().getMembers().size() : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The task a member runs when one of its agents connected to another member since: it closes its connection. */
    public static final class Replaced extends BusTask {
        private String agentId;

        /** For deserialization. */
        public Replaced() {
        }

        Replaced(String agentId) {
            this.agentId = agentId;
        }

        @Override
        public void writeData(com.hazelcast.nio.ObjectDataOutput out) throws java.io.IOException {
            out.writeString(agentId);
        }

        @Override
        public void readData(com.hazelcast.nio.ObjectDataInput in) throws java.io.IOException {
            agentId = in.readString();
        }

        @Override
        String onBus(Bus bus) {
            if (bus != null) {
                bus.replacedElsewhere(agentId);
            }
            return "done";
        }
    }

    /** The task a member runs to deliver a frame to one of its agents. */
    public static final class Deliver extends BusTask {
        private String to;
        private String frame;

        /** For deserialization. */
        public Deliver() {
        }

        Deliver(String to, String frame) {
            this.to = to;
            this.frame = frame;
        }

        @Override
        public void writeData(com.hazelcast.nio.ObjectDataOutput out) throws java.io.IOException {
            out.writeString(to);
            out.writeString(frame);
        }

        @Override
        public void readData(com.hazelcast.nio.ObjectDataInput in) throws java.io.IOException {
            to = in.readString();
            frame = in.readString();
        }

        @Override
        String onBus(Bus bus) {
            return bus == null ? "agent_offline" : bus.deliverFromPeer(to, frame);
        }
    }

    @Override
    public void close() {
        hz.shutdown();
    }
}
