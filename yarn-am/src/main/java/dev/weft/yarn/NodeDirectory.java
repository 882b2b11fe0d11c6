package dev.weft.yarn;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which running NodeManager, if any, is on a host that HDFS names. A DataNode and the NodeManager beside it need not
 * use the same name: one may register by IP and the other by name, a multi-homed host has several addresses, and a
 * storage-only node runs no NodeManager at all. A container request naming a host without a NodeManager can never be
 * filled, so the backend asks strictly only for the hosts this directory resolves, by the NodeManager's own name.
 *
 * <p>A host matches a NodeManager when its name equals the NodeManager's (case-insensitive, without a trailing dot),
 * or one of its addresses equals one of the NodeManager's. Addresses come from a {@link Resolver} (DNS by default),
 * looked up once per name.
 *
 * <p>Thread-safe: the node set is immutable; the cache of names looked up is concurrent.
 */
final class NodeDirectory {
    /** A host's addresses as text; empty when the name does not resolve. */
    @FunctionalInterface
    interface Resolver {
        List<String> addresses(String host);
    }

    /** DNS, as the JVM resolves names (its own cache applies). */
    static final Resolver DNS = host -> {
        try {
            List<String> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(a.getHostAddress());
            }
            return out;
        } catch (UnknownHostException e) {
            return List.of();
        }
    };

    private final List<String> nodes;
    /** Lower-case name or address of a NodeManager → that NodeManager's host as the ResourceManager names it. */
    private final Map<String, String> nodeByAlias;

    private final Resolver resolver;
    /** Lookups of names that are no NodeManager's own; the empty string stands for "none". */
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

    private NodeDirectory(List<String> nodes, Map<String, String> nodeByAlias, Resolver resolver) {
        this.nodes = nodes;
        this.nodeByAlias = nodeByAlias;
        this.resolver = resolver;
    }

    /**
     * @param nodeHosts the hosts of the running NodeManagers, as their {@code NodeId}s name them
     */
    static NodeDirectory of(Collection<String> nodeHosts, Resolver resolver) {
        Objects.requireNonNull(nodeHosts, "nodeHosts is null");
        Objects.requireNonNull(resolver, "resolver is null");
        Map<String, String> byAlias = new HashMap<>();
        List<String> nodes = new ArrayList<>();
        for (String node : nodeHosts) {
            nodes.add(node);
            byAlias.put(canonical(node), node);
        }
        // Addresses after names: a node's own name wins over another node's address that happens to equal it.
        for (String node : nodes) {
            for (String address : resolver.addresses(node)) {
                byAlias.putIfAbsent(canonical(address), node);
            }
        }
        return new NodeDirectory(List.copyOf(nodes), Map.copyOf(byAlias), resolver);
    }

    /** The running NodeManagers' hosts. */
    List<String> nodes() {
        return nodes;
    }

    /** The NodeManager on {@code host} (by name or address), or null when no running NodeManager is there. */
    String nodeOf(String host) {
        Objects.requireNonNull(host, "host is null");
        String key = canonical(host);
        String direct = nodeByAlias.get(key);
        if (direct != null) {
            return direct;
        }
        String found = resolved.computeIfAbsent(key, k -> {
            for (String address : resolver.addresses(host)) {
                String node = nodeByAlias.get(canonical(address));
                if (node != null) {
                    return node;
                }
            }
            return "";
        });
        return found.isEmpty() ? null : found;
    }

    private static String canonical(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
