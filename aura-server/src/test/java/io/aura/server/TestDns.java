package io.aura.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A name service for the tests (JEP 418): names ending in {@value #SUFFIX} resolve to the
 * addresses a test registers, as a Kubernetes headless service's name resolves to its pods;
 * every other name goes to the JDK's own resolver. Lets ClusterTest exercise Hazelcast's
 * discovery by DNS lookup (AURA_CLUSTER_DNS) on loopback.
 */
public final class TestDns extends InetAddressResolverProvider {

    static final String SUFFIX = ".aura-test";

    private static final Map<String, List<InetAddress>> NAMES = new ConcurrentHashMap<>();

    /** Makes {@code name} (ending in {@value #SUFFIX}) resolve to {@code addresses}; none: unknown again. */
    static void register(String name, InetAddress... addresses) {
        if (!name.endsWith(SUFFIX)) {
            throw new IllegalArgumentException(name + " does not end in " + SUFFIX);
        }
        if (addresses.length == 0) {
            NAMES.remove(name);
        } else {
            NAMES.put(name, List.of(addresses));
        }
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(SUFFIX)) {
                    return builtin.lookupByName(host, policy);
                }
                List<InetAddress> a = NAMES.get(host);
                if (a == null) {
                    throw new UnknownHostException(host + ": not registered with TestDns");
                }
                return a.stream();
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "aura-test-dns";
    }
}
