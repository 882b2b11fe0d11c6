package dev.weft.api;

import dev.weft.api.function.FlatMapFunction;
import dev.weft.api.function.IndexedPartitionFunction;
import dev.weft.api.function.PartitionConsumer;
import dev.weft.api.function.PartitionFunction;
import dev.weft.api.function.SerBiFunction;
import dev.weft.api.function.SerConsumer;
import dev.weft.api.function.SerFunction;
import dev.weft.api.function.SerPredicate;
import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.core.Partitioner;
import dev.weft.io.FileFormats;
import dev.weft.io.OutputCommitProtocol;
import dev.weft.plan.CoalesceNode;
import dev.weft.plan.Iterators;
import dev.weft.plan.MapPartitionsNode;
import dev.weft.plan.Node;
import dev.weft.plan.StorageLevel;
import dev.weft.plan.UnionNode;
import dev.weft.scheduler.DriverJournal;
import dev.weft.scheduler.ShuffleLineage;
import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.Serializer;
import dev.weft.task.ResultFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * A lazy, partitioned, immutable collection. Transformations build lineage; actions run jobs. Functions
 * passed in must be serializable (they run on executors) and are checked when passed.
 *
 * <p>Thread-safe (immutable handle; persistence marks are volatile).
 */
public class Dataset<T> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Dataset.class);
    protected final WeftContext ctx;
    protected final Node<T> node;

    Dataset(WeftContext ctx, Node<T> node) {
        this.ctx = Objects.requireNonNull(ctx, "ctx is null");
        this.node = Objects.requireNonNull(node, "node is null");
    }

    public WeftContext context() {
        return ctx;
    }

    /** The lineage node; engine use. */
    public Node<T> node() {
        return node;
    }

    public int id() {
        return node.id();
    }

    public int numPartitions() {
        return node.numPartitions();
    }

    public Partitioner partitioner() {
        return node.partitioner();
    }

    @Override
    public String toString() {
        return "Dataset#" + node.id() + "(" + node.callSite() + ")";
    }

    // ---- narrow transformations -------------------------------------------------------------------

    <R> Node<R> mapPartitionsNode(
            String site, IndexedPartitionFunction<T, R> fn, boolean preservesPartitioning, Serializer<R> serializer) {
        return new MapPartitionsNode<>(ctx.newNodeId(), site, serializer, node, fn, preservesPartitioning);
    }

    public <R> Dataset<R> map(SerFunction<T, R> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new Dataset<>(ctx, mapPartitionsNode(site, (i, it) -> Iterators.map(it, f), false, null));
    }

    public <R> Dataset<R> flatMap(FlatMapFunction<T, R> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new Dataset<>(ctx, mapPartitionsNode(site, (i, it) -> Iterators.flatMap(it, f), false, null));
    }

    public Dataset<T> filter(SerPredicate<T> p) {
        String site = CallSite.current();
        Closures.check(p, site);
        return new Dataset<>(ctx, mapPartitionsNode(site, (i, it) -> Iterators.filter(it, p), true, node.serializer()));
    }

    public <R> Dataset<R> mapPartitions(PartitionFunction<T, R> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new Dataset<>(ctx, mapPartitionsNode(site, (i, it) -> f.apply(it), false, null));
    }

    public <R> Dataset<R> mapPartitionsWithIndex(IndexedPartitionFunction<T, R> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new Dataset<>(ctx, mapPartitionsNode(site, f, false, null));
    }

    public <K> PairDataset<K, T> keyBy(SerFunction<T, K> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new PairDataset<>(
                ctx,
                mapPartitionsNode(site, (i, it) -> Iterators.map(it, v -> new Pair<>(f.apply(v), v)), false, null));
    }

    public <K, V> PairDataset<K, V> mapToPair(SerFunction<T, Pair<K, V>> f) {
        String site = CallSite.current();
        Closures.check(f, site);
        return new PairDataset<>(ctx, mapPartitionsNode(site, (i, it) -> Iterators.map(it, f), false, null));
    }

    public Dataset<T> union(Dataset<T> other) {
        String site = CallSite.current();
        return new Dataset<>(ctx, new UnionNode<>(ctx.newNodeId(), site, node.serializer(), List.of(node, other.node)));
    }

    /**
     * A random subset: each record kept with probability {@code fraction} (or, with replacement, repeated
     * a Poisson({@code fraction}) number of times). Deterministic for a given seed and partitioning.
     */
    public Dataset<T> sample(boolean withReplacement, double fraction, long seed) {
        if (fraction < 0 || (!withReplacement && fraction > 1) || Double.isNaN(fraction)) {
            throw new IllegalArgumentException(
                    "sample fraction must be in [0, 1] (or >= 0 with replacement): " + fraction);
        }
        String site = CallSite.current();
        IndexedPartitionFunction<T, T> fn = (i, it) -> {
            Random rnd = new Random(seed * 0x9E3779B97F4A7C15L + i);
            if (!withReplacement) {
                return Iterators.filter(it, v -> rnd.nextDouble() < fraction);
            }
            return Iterators.flatMap(it, v -> {
                int k = poisson(rnd, fraction);
                List<T> copies = new ArrayList<>(k);
                for (int c = 0; c < k; c++) {
                    copies.add(v);
                }
                return copies.iterator();
            });
        };
        return new Dataset<>(ctx, mapPartitionsNode(site, fn, true, node.serializer()));
    }

    static int poisson(Random rnd, double mean) {
        double l = Math.exp(-mean);
        int k = 0;
        double p = 1;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > l);
        return k - 1;
    }

    /** Fewer partitions without a shuffle (contiguous parent partitions are concatenated). */
    public Dataset<T> coalesce(int numPartitions) {
        String site = CallSite.current();
        return new Dataset<>(ctx, new CoalesceNode<>(ctx.newNodeId(), site, node.serializer(), node, numPartitions));
    }

    public Dataset<T> coalesce(int numPartitions, boolean shuffle) {
        return shuffle ? repartition(numPartitions) : coalesce(numPartitions);
    }

    // ---- shuffles ---------------------------------------------------------------------------------

    /** Exactly {@code numPartitions} partitions of about equal size, by a round-robin shuffle. */
    public Dataset<T> repartition(int numPartitions) {
        String site = CallSite.current();
        IndexedPartitionFunction<T, Pair<Integer, T>> spread = (i, it) -> {
            int[] next = {new Random(i).nextInt(numPartitions)};
            return Iterators.map(it, v -> new Pair<>(next[0]++ % numPartitions, v));
        };
        PairDataset<Integer, T> keyed = new PairDataset<>(ctx, mapPartitionsNode(site, spread, false, null));
        return keyed.partitionByAt(new ModPartitioner(numPartitions), site).values();
    }

    /** Partitions by an integer key's value modulo n: round-robin keys land evenly. */
    record ModPartitioner(int numPartitions) implements Partitioner {
        @Override
        public int partition(Object key) {
            return Math.floorMod((Integer) key, numPartitions);
        }
    }

    public Dataset<T> distinct() {
        return distinct(ctx.shufflePartitions(node));
    }

    public Dataset<T> distinct(int numPartitions) {
        String site = CallSite.current();
        PairDataset<T, Boolean> keyed = new PairDataset<>(
                ctx,
                mapPartitionsNode(site, (i, it) -> Iterators.map(it, v -> new Pair<>(v, Boolean.TRUE)), false, null));
        return keyed.combineAt(site, v -> v, (a, b) -> a, (a, b) -> a, new HashPartitioner(numPartitions), true)
                .keys();
    }

    // ---- persistence ------------------------------------------------------------------------------

    public Dataset<T> cache() {
        return persist(StorageLevel.MEMORY_ONLY);
    }

    public Dataset<T> persist(StorageLevel level) {
        node.setStorageLevel(level);
        return this;
    }

    public Dataset<T> unpersist() {
        node.setStorageLevel(StorageLevel.NONE);
        ctx.removeCached(node.id());
        return this;
    }

    /**
     * Marks this dataset to be written to the checkpoint directory after the next job that computes it;
     * later jobs read the files instead of recomputing the lineage. Cache it first to avoid computing it twice.
     */
    public Dataset<T> checkpoint() {
        if (ctx.checkpointDir() == null) {
            throw new IllegalStateException(
                    "no checkpoint directory: call WeftContext.setCheckpointDir or set weft.checkpoint.dir");
        }
        node.requestCheckpoint();
        return this;
    }

    public boolean isCheckpointed() {
        return node.checkpoint() != null;
    }

    // ---- actions ----------------------------------------------------------------------------------

    public List<T> collect() {
        Serializer<T> ser = node.serializer();
        int[] parts = WeftContext.allPartitions(node);
        List<List<T>> chunks = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            chunks.add(null);
        }
        ResultFunction<T, byte[]> fn = (c, it) -> serializeAll(ser, it, Integer.MAX_VALUE);
        ctx.runJob(node, parts, fn, (i, bytes) -> chunks.set(i, deserializeAll(ser, bytes)));
        List<T> out = new ArrayList<>();
        chunks.forEach(out::addAll);
        return out;
    }

    static <T> byte[] serializeAll(Serializer<T> ser, Iterator<T> it, int limit) {
        RecordOutput out = new RecordOutput(4096);
        int n = 0;
        while (n < limit && it.hasNext()) {
            ser.write(it.next(), out);
            n++;
        }
        return out.toByteArray();
    }

    static <T> List<T> deserializeAll(Serializer<T> ser, byte[] bytes) {
        RecordInput in = new RecordInput(bytes);
        List<T> out = new ArrayList<>();
        while (in.remaining() > 0) {
            out.add(ser.read(in));
        }
        return out;
    }

    public long count() {
        long[] total = {0};
        ResultFunction<T, Long> fn = (c, it) -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return n;
        };
        ctx.runJob(node, WeftContext.allPartitions(node), fn, (i, n) -> total[0] += n);
        return total[0];
    }

    /** Combines all records with an associative, commutative function; fails on an empty dataset. */
    public T reduce(SerBiFunction<T, T, T> f) {
        Closures.check(f, CallSite.current());
        Serializer<T> ser = node.serializer();
        ResultFunction<T, byte[]> fn = (c, it) -> {
            if (!it.hasNext()) {
                return new byte[0];
            }
            T acc = it.next();
            while (it.hasNext()) {
                acc = f.apply(acc, it.next());
            }
            RecordOutput out = new RecordOutput(64);
            ser.write(acc, out);
            return out.toByteArray();
        };
        List<T> partials = new ArrayList<>();
        ctx.runJob(node, WeftContext.allPartitions(node), fn, (i, b) -> partials.addAll(deserializeAll(ser, b)));
        if (partials.isEmpty()) {
            throw new NoSuchElementException("reduce of an empty dataset");
        }
        T acc = partials.get(0);
        for (int i = 1; i < partials.size(); i++) {
            acc = f.apply(acc, partials.get(i));
        }
        return acc;
    }

    /** Like reduce with a neutral {@code zero} applied once per partition and once on the driver. */
    public T fold(T zero, SerBiFunction<T, T, T> f) {
        return aggregate(zero, f, f);
    }

    /** Folds each partition with {@code seq} from a copy of {@code zero}, then merges partials with {@code comb}. */
    public <U> U aggregate(U zero, SerBiFunction<U, T, U> seq, SerBiFunction<U, U, U> comb) {
        String site = CallSite.current();
        Closures.check(seq, site);
        Closures.check(comb, site);
        Serializer<Object> ser = dev.weft.serde.ValueSerializer.INSTANCE;
        byte[] zeroBytes = serializeAll(ser, List.<Object>of(zero).iterator(), 1);
        ResultFunction<T, byte[]> fn = (c, it) -> {
            @SuppressWarnings("unchecked")
            U acc = (U) ser.read(new RecordInput(zeroBytes));
            while (it.hasNext()) {
                acc = seq.apply(acc, it.next());
            }
            return serializeAll(ser, List.<Object>of(acc).iterator(), 1);
        };
        List<U> partials = new ArrayList<>();
        for (int i = 0; i < node.numPartitions(); i++) {
            partials.add(null);
        }
        ctx.runJob(node, WeftContext.allPartitions(node), fn, (i, b) -> {
            @SuppressWarnings("unchecked")
            U u = (U) ser.read(new RecordInput(b));
            partials.set(i, u);
        });
        @SuppressWarnings("unchecked")
        U acc = (U) ser.read(new RecordInput(zeroBytes));
        for (U p : partials) {
            acc = comb.apply(acc, p);
        }
        return acc;
    }

    /** The first {@code n} records in partition order, scanning as few partitions as it can. */
    public List<T> take(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("take needs n >= 0: " + n);
        }
        Serializer<T> ser = node.serializer();
        List<T> out = new ArrayList<>();
        int total = node.numPartitions();
        int scanned = 0;
        int batch = 1;
        while (out.size() < n && scanned < total) {
            int count = Math.min(batch, total - scanned);
            int[] parts = new int[count];
            for (int i = 0; i < count; i++) {
                parts[i] = scanned + i;
            }
            int left = n - out.size();
            List<List<T>> chunks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                chunks.add(List.of());
            }
            ResultFunction<T, byte[]> fn = (c, it) -> serializeAll(ser, it, left);
            ctx.runJob(node, parts, fn, (i, b) -> chunks.set(i, deserializeAll(ser, b)));
            for (List<T> c : chunks) {
                for (T v : c) {
                    if (out.size() < n) {
                        out.add(v);
                    }
                }
            }
            scanned += count;
            batch *= 4;
        }
        return out;
    }

    public T first() {
        List<T> one = take(1);
        if (one.isEmpty()) {
            throw new NoSuchElementException("first() of an empty dataset");
        }
        return one.get(0);
    }

    public void foreach(SerConsumer<T> f) {
        Closures.check(f, CallSite.current());
        ResultFunction<T, Integer> fn = (c, it) -> {
            while (it.hasNext()) {
                f.accept(it.next());
            }
            return 0;
        };
        ctx.runJob(node, WeftContext.allPartitions(node), fn, (i, v) -> {});
    }

    public void foreachPartition(PartitionConsumer<T> f) {
        Closures.check(f, CallSite.current());
        ResultFunction<T, Integer> fn = (c, it) -> {
            f.accept(it);
            return 0;
        };
        ctx.runJob(node, WeftContext.allPartitions(node), fn, (i, v) -> {});
    }

    /**
     * Writes one text file per partition (each record's {@code toString()} on its own line) and a
     * {@code _SUCCESS} marker, through a commit protocol (hdfs-io's {@code TextOutputCommitter}): the driver lets one
     * attempt per partition commit, retried attempts never leave partial or duplicate files, the output appears
     * whole with one rename, and a failed job leaves no output directory. A restarted driver (a later YARN attempt
     * running the program again) resumes the output an earlier attempt began from the same dataset, writing only the
     * partitions not committed yet, and does not write again an output an earlier attempt committed.
     */
    public void saveAsTextFile(String path) {
        save(path, FileFormats.installed().textOutput());
    }

    /**
     * Writes this dataset to {@code path} through an output commit protocol (hdfs-io's {@code HadoopFiles} has the
     * formats: Hadoop OutputFormats, SequenceFiles, compressed text, raw fixed-length records, CSV, JSON lines,
     * Parquet, ORC). One part per partition; the output appears whole, with {@code _SUCCESS}, or not at all. A
     * restarted driver resumes an output its earlier attempt began (when the protocol can) or writes it again.
     */
    public void save(String path, OutputCommitProtocol.Factory output) {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(output, "output is null");
        String application = ctx.applicationId();
        int attempt = ctx.driverAttempt();
        DriverJournal journal = ctx.journal();
        String fingerprint = journal == DriverJournal.NONE ? "" : ShuffleLineage.fingerprint(node);
        int numPartitions = node.numPartitions();
        org.apache.hadoop.conf.Configuration hc = ctx.hadoopConf();
        OutputCommitProtocol committer = null;
        boolean resumed = false;
        int[] partitions = WeftContext.allPartitions(node);
        try {
            Optional<DriverJournal.EarlierOutput> earlier =
                    attempt > 1 ? journal.earlierOutput(path, fingerprint, numPartitions) : Optional.empty();
            if (earlier.isPresent()) {
                OutputCommitProtocol begun = output.open(path, earlier.get().jobToken());
                if (earlier.get().committed() && begun.isCommitted(hc)) {
                    // The earlier attempt committed this very output: writing it again would fail (it exists).
                    LOG.info("{} was committed by an earlier attempt of this driver; not written again", path);
                    begun.abortJob(hc); // its staging directory, should that attempt have died before removing it
                    // A job of no tasks still plans its stages: shuffles recovered from the journal bring back the
                    // accumulator updates of their tasks, as if this attempt had run them.
                    ctx.runJob(node, new int[0], (c, it) -> 0L, (i, v) -> {});
                    return;
                }
                if (!earlier.get().committed() && !begun.canResume(hc)) {
                    // A protocol that cannot resume (Hadoop's committers) left a half-written output behind: the
                    // journal says this driver began it, so it is ours to remove before writing it again.
                    LOG.info(
                            "{} was begun by an earlier attempt of this driver and cannot be resumed; writing it"
                                    + " again",
                            path);
                    begun.abortJob(hc);
                } else if (!earlier.get().committed()) {
                    committer = begun;
                    resumed = true;
                    partitions = begun.uncommittedPartitions(hc, numPartitions);
                    LOG.info(
                            "resuming {} as an earlier attempt of this driver left it: {} of {} partitions already"
                                    + " committed",
                            path,
                            numPartitions - partitions.length,
                            numPartitions);
                }
            }
            if (committer == null) {
                committer = output.open(path, OutputCommitProtocol.jobToken(application, attempt));
            }
            if (attempt > 1) {
                // An earlier attempt that died while writing this output left its staging directory behind.
                committer.removeStagingOfEarlierAttempts(hc, application, attempt, committer.jobToken());
            }
            if (!resumed) {
                committer.setupJob(hc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output " + path + ": " + e.getMessage(), e);
        }
        journal.outputStarted(path, committer.jobToken(), fingerprint, numPartitions);
        OutputCommitProtocol c0 = committer;
        ResultFunction<T, Long> fn = (c, it) -> c0.writeTask(it, c);
        try {
            // Also with no partition left to write: planning recovers the journaled shuffles (and their accumulator
            // updates) that the job's stages read.
            ctx.runJob(node, partitions, fn, (i, v) -> {});
            committer.commitJob(hc, numPartitions);
            journal.outputCommitted(path, committer.jobToken());
        } catch (RuntimeException | IOException e) {
            try {
                committer.abortJob(hc);
            } catch (IOException abort) {
                e.addSuppressed(abort);
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException("cannot commit output " + path + ": " + e.getMessage(), (IOException) e);
        }
    }
}
