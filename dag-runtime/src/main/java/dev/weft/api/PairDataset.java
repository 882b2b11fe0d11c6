package dev.weft.api;

import dev.weft.api.function.FlatMapFunction;
import dev.weft.api.function.SerBiFunction;
import dev.weft.api.function.SerFunction;
import dev.weft.api.function.SerPredicate;
import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.core.Partitioner;
import dev.weft.plan.CoGroupNode;
import dev.weft.plan.Iterators;
import dev.weft.plan.Node;
import dev.weft.plan.ShuffleDependency;
import dev.weft.plan.ShuffledNode;
import dev.weft.plan.StorageLevel;
import dev.weft.serde.RecordInput;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.Aggregator;
import dev.weft.shuffle.KeyOrdering;
import dev.weft.shuffle.ShuffleSpec;
import dev.weft.task.ResultFunction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A dataset of key-value {@link Pair}s with the by-key operations: aggregation, grouping, joins, sorting
 * and partitioning. Keys are grouped by their serialized bytes, so equal keys must serialize equally (all
 * built-in types do). Outer joins leave the missing side {@code null}.
 */
public final class PairDataset<K, V> extends Dataset<Pair<K, V>> {

    PairDataset(WeftContext ctx, Node<Pair<K, V>> node) {
        super(ctx, node);
    }

    // ---- value transformations (keep the partitioning) --------------------------------------------

    public <W> PairDataset<K, W> mapValues(SerFunction<V, W> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new PairDataset<>(
                ctx,
                mapPartitionsNode(
                        site, (i, it) -> Iterators.map(it, p -> new Pair<>(p.key(), f.apply(p.value()))), true, null));
    }

    public <W> PairDataset<K, W> flatMapValues(FlatMapFunction<V, W> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new PairDataset<>(
                ctx,
                mapPartitionsNode(
                        site,
                        (i, it) -> Iterators.flatMap(
                                it, p -> Iterators.map(f.apply(p.value()), w -> new Pair<>(p.key(), w))),
                        true,
                        null));
    }

    public Dataset<K> keys() {
        String site = CallSite.current();
        return new Dataset<>(ctx, mapPartitionsNode(site, (i, it) -> Iterators.map(it, Pair::key), false, null));
    }

    public Dataset<V> values() {
        String site = CallSite.current();
        return new Dataset<>(ctx, mapPartitionsNode(site, (i, it) -> Iterators.map(it, Pair::value), false, null));
    }

    // ---- aggregation ------------------------------------------------------------------------------

    /**
     * The general by-key aggregation: {@code create} turns a key's first value into a combiner,
     * {@code mergeValue} adds a value, {@code mergeCombiners} merges partial combiners. Combines on the map
     * side before the shuffle.
     */
    public <C> PairDataset<K, C> combineByKey(
            SerFunction<V, C> create, SerBiFunction<C, V, C> mergeValue, SerBiFunction<C, C, C> mergeCombiners) {
        return combineByKey(create, mergeValue, mergeCombiners, new HashPartitioner(ctx.shufflePartitions(node)), true);
    }

    public <C> PairDataset<K, C> combineByKey(
            SerFunction<V, C> create,
            SerBiFunction<C, V, C> mergeValue,
            SerBiFunction<C, C, C> mergeCombiners,
            int numPartitions) {
        return combineByKey(create, mergeValue, mergeCombiners, new HashPartitioner(numPartitions), true);
    }

    public <C> PairDataset<K, C> combineByKey(
            SerFunction<V, C> create,
            SerBiFunction<C, V, C> mergeValue,
            SerBiFunction<C, C, C> mergeCombiners,
            Partitioner partitioner,
            boolean mapSideCombine) {
        String site = CallSite.current();
        Closures.check(create, site);
        Closures.check(mergeValue, site);
        Closures.check(mergeCombiners, site);
        return combineAt(site, create, mergeValue, mergeCombiners, partitioner, mapSideCombine);
    }

    @SuppressWarnings("unchecked")
    <C> PairDataset<K, C> combineAt(
            String site,
            SerFunction<V, C> create,
            SerBiFunction<C, V, C> mergeValue,
            SerBiFunction<C, C, C> mergeCombiners,
            Partitioner partitioner,
            boolean mapSideCombine) {
        Aggregator<Object, Object> agg = new Aggregator<>(
                v -> create.apply((V) v),
                (c, v) -> mergeValue.apply((C) c, (V) v),
                (a, b) -> mergeCombiners.apply((C) a, (C) b));
        ShuffleSpec spec = new ShuffleSpec(
                ctx.newShuffleId(),
                partitioner,
                ValueSerializer.INSTANCE,
                ValueSerializer.INSTANCE,
                KeyOrdering.GROUPED,
                null,
                agg,
                mapSideCombine);
        return new PairDataset<>(
                ctx, new ShuffledNode<>(ctx.newNodeId(), site, null, new ShuffleDependency(node, spec)));
    }

    public PairDataset<K, V> reduceByKey(SerBiFunction<V, V, V> f) {
        return reduceByKey(f, new HashPartitioner(ctx.shufflePartitions(node)));
    }

    public PairDataset<K, V> reduceByKey(SerBiFunction<V, V, V> f, int numPartitions) {
        return reduceByKey(f, new HashPartitioner(numPartitions));
    }

    public PairDataset<K, V> reduceByKey(SerBiFunction<V, V, V> f, Partitioner partitioner) {
        String site = CallSite.current();
        Closures.check(f, site);
        return combineAt(site, v -> v, f, f, partitioner, true);
    }

    /**
     * Folds each key's values into a copy of {@code zero} with {@code seq} and merges partial results with
     * {@code comb}. {@code zero} is copied (through its serialized form) for every key.
     */
    public <U> PairDataset<K, U> aggregateByKey(U zero, SerBiFunction<U, V, U> seq, SerBiFunction<U, U, U> comb) {
        return aggregateByKey(zero, seq, comb, ctx.shufflePartitions(node));
    }

    @SuppressWarnings("unchecked")
    public <U> PairDataset<K, U> aggregateByKey(
            U zero, SerBiFunction<U, V, U> seq, SerBiFunction<U, U, U> comb, int numPartitions) {
        String site = CallSite.current();
        Closures.check(seq, site);
        Closures.check(comb, site);
        byte[] zeroBytes = Dataset.serializeAll(
                ValueSerializer.INSTANCE, List.<Object>of(zero).iterator(), 1);
        SerFunction<V, U> create = v -> seq.apply((U) ValueSerializer.INSTANCE.read(new RecordInput(zeroBytes)), v);
        return combineAt(site, create, seq, comb, new HashPartitioner(numPartitions), true);
    }

    /** All values of each key, as a list (no map-side combine: values travel as they are). */
    public PairDataset<K, List<V>> groupByKey() {
        return groupByKey(ctx.shufflePartitions(node));
    }

    public PairDataset<K, List<V>> groupByKey(int numPartitions) {
        String site = CallSite.current();
        return combineAt(
                site,
                PairDataset::newList,
                PairDataset::addTo,
                PairDataset::concat,
                new HashPartitioner(numPartitions),
                false);
    }

    static <V> List<V> newList(V v) {
        List<V> l = new ArrayList<>();
        l.add(v);
        return l;
    }

    static <V> List<V> addTo(List<V> l, V v) {
        l.add(v);
        return l;
    }

    static <V> List<V> concat(List<V> a, List<V> b) {
        a.addAll(b);
        return a;
    }

    public Map<K, Long> countByKey() {
        Map<K, Long> out = new HashMap<>();
        for (Pair<K, Long> p : mapValues(v -> 1L).reduceByKey(Long::sum).collect()) {
            out.put(p.key(), p.value());
        }
        return out;
    }

    /** The pairs as a map; for duplicate keys one value wins. */
    public Map<K, V> collectAsMap() {
        Map<K, V> out = new HashMap<>();
        for (Pair<K, V> p : collect()) {
            out.put(p.key(), p.value());
        }
        return out;
    }

    // ---- grouping two datasets --------------------------------------------------------------------

    public <W> PairDataset<K, Pair<List<V>, List<W>>> cogroup(PairDataset<K, W> other) {
        return cogroupAt(CallSite.current(), other, ctx.shufflePartitions(node, other.node));
    }

    public <W> PairDataset<K, Pair<List<V>, List<W>>> cogroup(PairDataset<K, W> other, int numPartitions) {
        return cogroupAt(CallSite.current(), other, numPartitions);
    }

    @SuppressWarnings("unchecked")
    private <W> PairDataset<K, Pair<List<V>, List<W>>> cogroupAt(
            String site, PairDataset<K, W> other, int numPartitions) {
        Partitioner partitioner = new HashPartitioner(numPartitions);
        Aggregator<Object, Object> group = new Aggregator<>(
                v -> newList(v),
                (l, v) -> addTo((List<Object>) l, v),
                (a, b) -> concat((List<Object>) a, (List<Object>) b));
        List<ShuffleDependency> deps = new ArrayList<>();
        for (Node<?> parent : List.of(node, other.node)) {
            ShuffleSpec spec = new ShuffleSpec(
                    ctx.newShuffleId(),
                    partitioner,
                    ValueSerializer.INSTANCE,
                    ValueSerializer.INSTANCE,
                    KeyOrdering.GROUPED,
                    null,
                    group,
                    false);
            deps.add(new ShuffleDependency((Node<? extends Pair<?, ?>>) parent, spec));
        }
        CoGroupNode cg = new CoGroupNode(ctx.newNodeId(), site, null, deps);
        Node<Pair<K, Pair<List<V>, List<W>>>> typed = new dev.weft.plan.MapPartitionsNode<>(
                ctx.newNodeId(),
                site,
                null,
                cg,
                (i, it) -> Iterators.map(
                        it,
                        p -> new Pair<>(
                                (K) p.key(), new Pair<>((List<V>) p.value().get(0), (List<W>)
                                        p.value().get(1)))),
                true);
        return new PairDataset<>(ctx, typed);
    }

    public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other) {
        return joinAt(CallSite.current(), other, ctx.shufflePartitions(node, other.node), false, false);
    }

    public <W> PairDataset<K, Pair<V, W>> join(PairDataset<K, W> other, int numPartitions) {
        return joinAt(CallSite.current(), other, numPartitions, false, false);
    }

    /** Every left pair; the right value is null where the key has none. */
    public <W> PairDataset<K, Pair<V, W>> leftOuterJoin(PairDataset<K, W> other) {
        return joinAt(CallSite.current(), other, ctx.shufflePartitions(node, other.node), true, false);
    }

    public <W> PairDataset<K, Pair<V, W>> leftOuterJoin(PairDataset<K, W> other, int numPartitions) {
        return joinAt(CallSite.current(), other, numPartitions, true, false);
    }

    /** Every right pair; the left value is null where the key has none. */
    public <W> PairDataset<K, Pair<V, W>> rightOuterJoin(PairDataset<K, W> other) {
        return joinAt(CallSite.current(), other, ctx.shufflePartitions(node, other.node), false, true);
    }

    public <W> PairDataset<K, Pair<V, W>> rightOuterJoin(PairDataset<K, W> other, int numPartitions) {
        return joinAt(CallSite.current(), other, numPartitions, false, true);
    }

    /** Every pair of both sides; the missing side is null. */
    public <W> PairDataset<K, Pair<V, W>> fullOuterJoin(PairDataset<K, W> other) {
        return joinAt(CallSite.current(), other, ctx.shufflePartitions(node, other.node), true, true);
    }

    public <W> PairDataset<K, Pair<V, W>> fullOuterJoin(PairDataset<K, W> other, int numPartitions) {
        return joinAt(CallSite.current(), other, numPartitions, true, true);
    }

    private <W> PairDataset<K, Pair<V, W>> joinAt(
            String site, PairDataset<K, W> other, int numPartitions, boolean keepLeft, boolean keepRight) {
        PairDataset<K, Pair<List<V>, List<W>>> grouped = cogroupAt(site, other, numPartitions);
        FlatMapFunction<Pair<K, Pair<List<V>, List<W>>>, Pair<K, Pair<V, W>>> expand = g -> {
            List<V> vs = g.value().key();
            List<W> ws = g.value().value();
            List<Pair<K, Pair<V, W>>> out = new ArrayList<>();
            if (vs.isEmpty() && keepRight) {
                for (W w : ws) {
                    out.add(new Pair<>(g.key(), new Pair<>(null, w)));
                }
            } else if (ws.isEmpty() && keepLeft) {
                for (V v : vs) {
                    out.add(new Pair<>(g.key(), new Pair<>(v, null)));
                }
            } else {
                for (V v : vs) {
                    for (W w : ws) {
                        out.add(new Pair<>(g.key(), new Pair<>(v, w)));
                    }
                }
            }
            return out.iterator();
        };
        return new PairDataset<>(
                ctx, grouped.mapPartitionsNode(site, (i, it) -> Iterators.flatMap(it, expand), true, null));
    }

    // ---- sorting and partitioning -----------------------------------------------------------------

    public PairDataset<K, V> sortByKey() {
        return sortByKeyAt(CallSite.current(), NaturalOrder.INSTANCE, true, node.numPartitions());
    }

    public PairDataset<K, V> sortByKey(boolean ascending) {
        return sortByKeyAt(CallSite.current(), NaturalOrder.INSTANCE, ascending, node.numPartitions());
    }

    public PairDataset<K, V> sortByKey(boolean ascending, int numPartitions) {
        return sortByKeyAt(CallSite.current(), NaturalOrder.INSTANCE, ascending, numPartitions);
    }

    /** Sorts by a serializable comparator of keys. */
    @SuppressWarnings("unchecked")
    public PairDataset<K, V> sortByKey(Comparator<? super K> comparator, boolean ascending, int numPartitions) {
        String site = CallSite.current();
        Closures.check(comparator, site);
        return sortByKeyAt(site, (Comparator<Object>) comparator, ascending, numPartitions);
    }

    /**
     * Range-partitions by a sample of the keys (this runs a small sampling job now, as Spark does), then
     * sorts each partition on the keys' serialized bytes where they preserve order.
     */
    private PairDataset<K, V> sortByKeyAt(
            String site, Comparator<Object> comparator, boolean ascending, int numPartitions) {
        if (numPartitions <= 0) {
            throw new IllegalArgumentException("numPartitions must be > 0: " + numPartitions);
        }
        int parents = Math.max(1, node.numPartitions());
        int perPartition = (int) Math.min(10_000, Math.ceil(60.0 * numPartitions / parents));
        List<Object> sample = new ArrayList<>();
        ResultFunction<Pair<K, V>, byte[]> sampler = (c, it) -> {
            Random rnd = new Random(c.partitionId());
            List<Object> reservoir = new ArrayList<>(perPartition);
            long seen = 0;
            while (it.hasNext()) {
                Object k = it.next().key();
                seen++;
                if (reservoir.size() < perPartition) {
                    reservoir.add(k);
                } else {
                    long j = (long) (rnd.nextDouble() * seen);
                    if (j < perPartition) {
                        reservoir.set((int) j, k);
                    }
                }
            }
            return Dataset.serializeAll(ValueSerializer.INSTANCE, reservoir.iterator(), Integer.MAX_VALUE);
        };
        if (numPartitions > 1) {
            ctx.runJob(
                    node,
                    WeftContext.allPartitions(node),
                    sampler,
                    (i, b) -> sample.addAll(Dataset.deserializeAll(ValueSerializer.INSTANCE, b)));
        }
        RangePartitioner partitioner = RangePartitioner.fromSample(sample, numPartitions, comparator, ascending);
        ShuffleSpec spec = new ShuffleSpec(
                ctx.newShuffleId(),
                partitioner,
                ValueSerializer.INSTANCE,
                ValueSerializer.INSTANCE,
                KeyOrdering.SORTED,
                comparator == NaturalOrder.INSTANCE ? null : comparator,
                null,
                false,
                !ascending);
        return new PairDataset<>(
                ctx, new ShuffledNode<>(ctx.newNodeId(), site, null, new ShuffleDependency(node, spec)));
    }

    public PairDataset<K, V> partitionBy(Partitioner partitioner) {
        return partitionByAt(partitioner, CallSite.current());
    }

    PairDataset<K, V> partitionByAt(Partitioner partitioner, String site) {
        if (partitioner.equals(node.partitioner())) {
            return this;
        }
        ShuffleSpec spec = new ShuffleSpec(
                ctx.newShuffleId(),
                partitioner,
                ValueSerializer.INSTANCE,
                ValueSerializer.INSTANCE,
                KeyOrdering.NONE,
                null,
                null,
                false);
        return new PairDataset<>(
                ctx, new ShuffledNode<>(ctx.newNodeId(), site, null, new ShuffleDependency(node, spec)));
    }

    // ---- covariant overrides ----------------------------------------------------------------------

    @Override
    public PairDataset<K, V> filter(SerPredicate<Pair<K, V>> p) {
        return new PairDataset<>(ctx, super.filter(p).node);
    }

    @Override
    public PairDataset<K, V> union(Dataset<Pair<K, V>> other) {
        return new PairDataset<>(ctx, super.union(other).node);
    }

    @Override
    public PairDataset<K, V> distinct() {
        return new PairDataset<>(ctx, super.distinct().node);
    }

    @Override
    public PairDataset<K, V> distinct(int numPartitions) {
        return new PairDataset<>(ctx, super.distinct(numPartitions).node);
    }

    @Override
    public PairDataset<K, V> sample(boolean withReplacement, double fraction, long seed) {
        return new PairDataset<>(ctx, super.sample(withReplacement, fraction, seed).node);
    }

    @Override
    public PairDataset<K, V> repartition(int numPartitions) {
        return new PairDataset<>(ctx, super.repartition(numPartitions).node);
    }

    @Override
    public PairDataset<K, V> coalesce(int numPartitions) {
        return new PairDataset<>(ctx, super.coalesce(numPartitions).node);
    }

    @Override
    public PairDataset<K, V> cache() {
        super.cache();
        return this;
    }

    @Override
    public PairDataset<K, V> persist(StorageLevel level) {
        super.persist(level);
        return this;
    }

    @Override
    public PairDataset<K, V> unpersist() {
        super.unpersist();
        return this;
    }

    @Override
    public PairDataset<K, V> checkpoint() {
        super.checkpoint();
        return this;
    }
}
