package io.aura.cascade.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.aura.cascade.random.SplitMix64;
import io.aura.cascade.random.Streams;
import org.junit.jupiter.api.Test;

class DeathStarSocialNetworkTest {
    private final ServiceGraph g = DeathStarSocialNetwork.create(new Streams(1).graph());

    private int id(String name) {
        return g.nodeId(name).orElseThrow();
    }

    @Test
    void hasTheSpecTopology() {
        assertThat(g.nodeCount()).isEqualTo(26);
        assertThat(g.edgeCount()).isEqualTo(33);
        assertThat(g.outDegree(id("compose-post"))).isEqualTo(7);
        assertThat(g.outDegree(id("nginx-thrift"))).isEqualTo(5);
        assertThat(g.outDegree(id("media-memcached")) + g.inDegree(id("media-memcached"))).isZero();
        assertThat(g.role(id("user-mongodb"))).isEqualTo(ServiceGraph.Role.LEAF_DB);
        assertThat(g.role(id("home-timeline-redis"))).isEqualTo(ServiceGraph.Role.LEAF_CACHE);
        int logic = 0;
        for (int v = 0; v < g.nodeCount(); v++) {
            if (!g.role(v).isLeaf() || g.role(v) == ServiceGraph.Role.LEAF_STATELESS) {
                logic++;
            }
        }
        assertThat(logic).isEqualTo(13);
    }

    @Test
    void entryMixIsSixtyThirtyTen() {
        double[] lambda = g.expectedArrivals();
        assertThat(lambda[id("nginx-thrift")]).isEqualTo(1.0);
        // home-timeline: 0.6 direct + 0.1 via compose-post
        assertThat(lambda[id("home-timeline")]).isCloseTo(0.7, within(1e-12));
        assertThat(lambda[id("user-timeline")]).isCloseTo(0.4, within(1e-12));
        assertThat(lambda[id("compose-post")]).isCloseTo(0.1, within(1e-12));
        // 0..5 mentions per compose: mean 2.5
        assertThat(lambda[id("user-mention")]).isCloseTo(0.25, within(1e-12));
        // sampled requests take exactly one route
        RequestTrees rt = new RequestTrees(g, new SplitMix64(3));
        int[] routes = new int[3];
        int samples = 20_000;
        for (int i = 0; i < samples; i++) {
            long before = rt.callsMade();
            int depth = rt.depthFrom(id("nginx-thrift"));
            long calls = rt.callsMade() - before;
            assertThat(depth).isBetween(2, 5);
            // home-timeline route: 1 + redis + post-storage(3) + social-graph(3) = 8 calls;
            // user-timeline route: 1 + redis + mongodb + post-storage(3) = 6; compose-post: more than 8
            assertThat(calls).isNotIn(7L).isGreaterThanOrEqualTo(6);
            routes[calls == 8 ? 0 : calls == 6 ? 1 : 2]++;
        }
        assertThat(routes[0] / (double) samples).isCloseTo(0.6, within(0.015));
        assertThat(routes[1] / (double) samples).isCloseTo(0.3, within(0.015));
        assertThat(routes[2] / (double) samples).isCloseTo(0.1, within(0.01));
    }
}
