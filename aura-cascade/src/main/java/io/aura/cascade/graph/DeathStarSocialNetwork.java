package io.aura.cascade.graph;

import io.aura.cascade.random.SplitMix64;

/**
 * DSB-SN: the DeathStarBench SocialNetwork call graph (Gan et al., ASPLOS 2019), as CPB spec 2a1
 * lists it from delimitrou/DeathStarBench @ 6ecb097 (client pools in
 * {@code socialNetwork/src/<Svc>/<Svc>.cpp} and the nginx Lua scripts): 26 services (13 logic
 * services including the two front-ends, 13 stores) and 33 call edges.
 *
 * <p>Roles: nginx-thrift and media-frontend are entries (layer 0); media and unique-id are
 * stateless leaves; *-mongodb are DB leaves, *-memcached and *-redis cache leaves (layer 6; edges
 * into them are DB/MC); the other logic services are middles with layer = their depth below
 * nginx-thrift. media-memcached is deployed but unused, so it has no edges.
 *
 * <p>Entry mix (wrk2 {@code mixed-workload.lua}): 60% read-home-timeline, 30% read-user-timeline,
 * 10% compose-post. All external traffic enters at nginx-thrift (media-frontend gets share 0, the
 * mixed workload uploads no media). nginx-thrift's five out-edges form one exclusive group, so a
 * request takes exactly one route: home-timeline π = 0.6, user-timeline π = 0.3, compose-post
 * π = 0.1, social-graph π = 0 and user π = 0 (follow, register and login are not part of the mix).
 *
 * <p>Compose has 0–5 user mentions, so text → user-mention makes U{0..5} calls; this is encoded
 * exactly as π = 5/6 with multiplicity U{1..5}. The cycle user ⇄ social-graph exists in the code
 * (RegisterUser, Follow-with-username) but neither call is made by the mixed workload: both edges
 * have π = 0. All other edges have π = 1 and multiplicity 1 (cache-miss paths to the databases are
 * not thinned; the simulator may lower those π). Own CPU demands are LogNormal(ln 2 ms, 1.0) from
 * the given ({@code graph}) stream, one draw per service in the order listed below.
 */
public final class DeathStarSocialNetwork {
    /** Number of services. */
    public static final int SERVICES = 26;
    /** Number of call edges. */
    public static final int EDGES = 33;

    private static final String[] LOGIC = {"nginx-thrift", "media-frontend", "compose-post", "home-timeline",
        "user-timeline", "social-graph", "user", "media", "unique-id", "text", "url-shorten", "user-mention",
        "post-storage"};
    private static final String[] STORES = {"media-mongodb", "media-memcached", "url-shorten-memcached",
        "url-shorten-mongodb", "user-memcached", "user-mongodb", "social-graph-mongodb", "social-graph-redis",
        "home-timeline-redis", "user-timeline-redis", "user-timeline-mongodb", "post-storage-memcached",
        "post-storage-mongodb"};

    private DeathStarSocialNetwork() {
    }

    /** The DSB-SN graph; {@code graphStream} supplies the CPU demands only. */
    public static ServiceGraph create(SplitMix64 graphStream) {
        ServiceGraph.Builder b = ServiceGraph.builder("DSB-SN");
        for (String s : LOGIC) {
            ServiceGraph.Role role = switch (s) {
                case "nginx-thrift", "media-frontend" -> ServiceGraph.Role.ENTRY;
                case "media", "unique-id" -> ServiceGraph.Role.LEAF_STATELESS;
                default -> ServiceGraph.Role.MIDDLE;
            };
            int layer = switch (s) {
                case "nginx-thrift", "media-frontend" -> 0;
                case "compose-post", "home-timeline", "user-timeline", "social-graph", "user" -> 1;
                case "text", "post-storage" -> 2;
                case "url-shorten", "user-mention" -> 3;
                default -> 6;
            };
            b.addNode(s, role, layer, demand(graphStream));
        }
        for (String s : STORES) {
            ServiceGraph.Role role = s.endsWith("mongodb") ? ServiceGraph.Role.LEAF_DB : ServiceGraph.Role.LEAF_CACHE;
            b.addNode(s, role, 6, demand(graphStream));
        }
        b.entryShare(id(b, "nginx-thrift"), 1.0);
        // nginx-thrift routes: one exclusive group (group 0), the wrk2 mixed-workload shares
        route(b, "nginx-thrift", "compose-post", 0.1);
        route(b, "nginx-thrift", "home-timeline", 0.6);
        route(b, "nginx-thrift", "user-timeline", 0.3);
        route(b, "nginx-thrift", "social-graph", 0.0);
        route(b, "nginx-thrift", "user", 0.0);
        call(b, "media-frontend", "media-mongodb");
        for (String t : new String[] {"unique-id", "media", "text", "user", "post-storage", "user-timeline", "home-timeline"}) {
            call(b, "compose-post", t);
        }
        call(b, "text", "url-shorten");
        b.addEdge(id(b, "text"), id(b, "user-mention"), ServiceGraph.EdgeType.RPC, 5.0 / 6.0, 1, 5);
        call(b, "url-shorten", "url-shorten-memcached");
        call(b, "url-shorten", "url-shorten-mongodb");
        call(b, "user-mention", "user-memcached");
        call(b, "user-mention", "user-mongodb");
        call(b, "user", "user-memcached");
        call(b, "user", "user-mongodb");
        b.addEdge(id(b, "user"), id(b, "social-graph"), ServiceGraph.EdgeType.RPC, 0.0, 1, 1);
        call(b, "social-graph", "social-graph-mongodb");
        call(b, "social-graph", "social-graph-redis");
        b.addEdge(id(b, "social-graph"), id(b, "user"), ServiceGraph.EdgeType.RPC, 0.0, 1, 1);
        call(b, "home-timeline", "home-timeline-redis");
        call(b, "home-timeline", "post-storage");
        call(b, "home-timeline", "social-graph");
        call(b, "user-timeline", "user-timeline-redis");
        call(b, "user-timeline", "user-timeline-mongodb");
        call(b, "user-timeline", "post-storage");
        call(b, "post-storage", "post-storage-memcached");
        call(b, "post-storage", "post-storage-mongodb");
        return b.build();
    }

    private static long demand(SplitMix64 rng) {
        return ServiceGraphs.logNormalNs(rng, ServiceGraphs.DEFAULT_DEMAND_MEDIAN_NS, ServiceGraphs.DEFAULT_DEMAND_SIGMA);
    }

    private static int id(ServiceGraph.Builder b, String name) {
        return b.idOf(name);
    }

    private static void route(ServiceGraph.Builder b, String from, String to, double p) {
        b.addEdge(id(b, from), id(b, to), ServiceGraph.EdgeType.RPC, p, 1, 1, 0);
    }

    private static void call(ServiceGraph.Builder b, String from, String to) {
        ServiceGraph.EdgeType type = to.endsWith("mongodb") ? ServiceGraph.EdgeType.DB
                : to.endsWith("memcached") || to.endsWith("redis") ? ServiceGraph.EdgeType.MC : ServiceGraph.EdgeType.RPC;
        b.addEdge(id(b, from), id(b, to), type, 1.0, 1, 1);
    }
}
