package dev.weft.executor.shuffle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fetches the remote blocks of one reduce task attempt from several shuffle servers at once and hands them to the
 * task's reader, block by block, as it asks for them.
 *
 * <p><b>Flow control.</b> The scheduler counts as <i>in flight</i> the estimated size of every block it has requested
 * and the reader has not yet taken, whether still on the wire or fetched and waiting. It starts a request only while
 * the request's server has fewer than {@link ShuffleFetchConfig#maxRequestsPerServer()} outstanding and the bytes in
 * flight stay within {@link ShuffleFetchConfig#maxBytesInFlight()}; with nothing in flight, a block larger than that
 * cap is requested alone. Each block the reader takes makes room for the next requests, and so does each answer
 * (for the per-server limit). Sizes are the map statuses' estimates: they steer flow control, never what is read.
 *
 * <p><b>Order.</b> In {@link Order#BY_POSITION} the reader takes blocks by position (a merge opens every run, in
 * order); requests start in position order, so the blocks in flight are always the next ones the reader needs and the
 * block it waits for is never held back by later ones filling the cap. A reader that takes a block out of order, when
 * nothing else is outstanding and the cap still holds that block back, gets it requested anyway (at most one block
 * above the cap) rather than waiting forever. In {@link Order#BY_ARRIVAL} the reader takes whichever block arrived
 * first (a concatenation can), and requests go round-robin over the servers so that every server works from the start.
 *
 * <p><b>Failures.</b> A block that cannot be fetched is handed over like any other, as the {@link IOException} the
 * fetcher failed with, when the reader takes it: the failure then names that block's map output and attempt, and the
 * other blocks are unaffected.
 *
 * <p><b>Threading.</b> All state is guarded by one monitor. Fetches complete on transport threads, the reader takes
 * blocks on the task's thread, {@link #close()} may come from any thread. Fetches are started outside the monitor (a
 * fetcher may complete a future on the calling thread). After close, outstanding fetches are cancelled, blocks not yet
 * taken are dropped, and taking a block fails.
 */
final class BlockFetchScheduler implements Closeable {
    /** How the reader takes blocks. */
    enum Order {
        /** By position: {@link #take(int)}. */
        BY_POSITION,
        /** Whichever arrived first: {@link #takeNextArrival()}. */
        BY_ARRIVAL
    }

    private enum State {
        QUEUED,
        IN_FLIGHT,
        ARRIVED,
        TAKEN
    }

    /** A block handed to the reader: its position and either its bytes or why they could not be fetched. */
    record Taken(int position, InputStream stream, IOException failure) {
        /** The block's bytes, or its fetch failure thrown. */
        InputStream streamOrThrow() throws IOException {
            if (failure != null) {
                throw failure;
            }
            return stream;
        }
    }

    /** The requests of one server not yet started, in start order, and how many of its requests are outstanding. */
    private static final class ServerQueue {
        final ArrayDeque<Integer> queued = new ArrayDeque<>();
        int outstanding;
    }

    private final List<RemoteBlock> blocks;
    private final RemoteBlockFetcher fetcher;
    private final ShuffleFetchConfig config;
    private final Order order;
    private final Object lock = new Object();

    // Everything below is guarded by lock.
    private final State[] states;
    private final ServerQueue[] queueOf;
    private final List<ServerQueue> servers;
    private final InputStream[] streams;
    private final IOException[] failures;
    private final List<CompletableFuture<InputStream>> fetches;
    /** BY_ARRIVAL only: arrived positions, in arrival order. */
    private final ArrayDeque<Integer> arrivals = new ArrayDeque<>();

    private int nextServer;
    private int outstanding;
    private int untaken;
    private long bytesInFlight;
    private long peakBytesInFlight;
    /** BY_POSITION: the position the reader waits for, or -1. */
    private int waitingFor = -1;

    private boolean closed;

    BlockFetchScheduler(List<RemoteBlock> blocks, RemoteBlockFetcher fetcher, ShuffleFetchConfig config, Order order) {
        this.blocks = List.copyOf(blocks);
        this.fetcher = Objects.requireNonNull(fetcher, "fetcher is null");
        this.config = Objects.requireNonNull(config, "config is null");
        this.order = Objects.requireNonNull(order, "order is null");
        int n = this.blocks.size();
        this.states = new State[n];
        Arrays.fill(states, State.QUEUED);
        this.queueOf = new ServerQueue[n];
        this.streams = new InputStream[n];
        this.failures = new IOException[n];
        this.fetches = new ArrayList<>(java.util.Collections.nCopies(n, null));
        this.untaken = n;
        Map<RemoteBlock.Server, ServerQueue> byServer = new LinkedHashMap<>();
        for (int p = 0; p < n; p++) {
            ServerQueue q = byServer.computeIfAbsent(this.blocks.get(p).server(), s -> new ServerQueue());
            q.queued.add(p);
            queueOf[p] = q;
        }
        this.servers = List.copyOf(byServer.values());
    }

    /** Starts the first requests. Call once, before taking blocks. */
    void start() {
        List<Integer> first;
        synchronized (lock) {
            first = pickLocked();
        }
        startAll(first);
    }

    int size() {
        return blocks.size();
    }

    RemoteBlock block(int position) {
        return blocks.get(position);
    }

    /**
     * {@link Order#BY_POSITION}: waits until the block at {@code position} has arrived and hands it over.
     *
     * @throws IOException why the block could not be fetched, or that the wait was interrupted or the scheduler closed
     */
    InputStream take(int position) throws IOException {
        if (order != Order.BY_POSITION) {
            throw new IllegalStateException("blocks are taken by arrival");
        }
        Objects.checkIndex(position, blocks.size());
        while (true) {
            List<Integer> next;
            Taken taken = null;
            synchronized (lock) {
                checkOpen();
                if (states[position] == State.TAKEN) {
                    throw new IllegalStateException("block " + position + " was already taken");
                }
                if (states[position] == State.ARRIVED) {
                    taken = takeLocked(position);
                } else {
                    waitingFor = position;
                }
                next = pickLocked();
                if (taken == null && next.isEmpty()) {
                    await();
                    continue;
                }
            }
            startAll(next);
            if (taken != null) {
                return taken.streamOrThrow();
            }
        }
    }

    /**
     * {@link Order#BY_ARRIVAL}: waits until some block not yet taken has arrived and hands over the first to arrive.
     *
     * @throws IOException that the wait was interrupted or the scheduler closed (a block's own fetch failure is in
     *     the returned {@link Taken})
     */
    Taken takeNextArrival() throws IOException {
        if (order != Order.BY_ARRIVAL) {
            throw new IllegalStateException("blocks are taken by position");
        }
        while (true) {
            List<Integer> next;
            Taken taken = null;
            synchronized (lock) {
                checkOpen();
                if (!arrivals.isEmpty()) {
                    taken = takeLocked(arrivals.poll());
                } else if (untaken == 0) {
                    throw new IllegalStateException("all " + blocks.size() + " blocks were already taken");
                }
                next = pickLocked();
                if (taken == null && next.isEmpty()) {
                    await();
                    continue;
                }
            }
            startAll(next);
            if (taken != null) {
                return taken;
            }
        }
    }

    /** The most estimated bytes that were ever in flight at once (for tests and metrics). */
    long peakBytesInFlight() {
        synchronized (lock) {
            return peakBytesInFlight;
        }
    }

    /** Cancels outstanding fetches and drops every block not yet taken. Idempotent; any thread. */
    @Override
    public void close() {
        List<CompletableFuture<InputStream>> cancel = new ArrayList<>();
        List<InputStream> drop = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            for (int p = 0; p < blocks.size(); p++) {
                if (fetches.get(p) != null) {
                    cancel.add(fetches.get(p));
                    fetches.set(p, null);
                }
                if (streams[p] != null) {
                    drop.add(streams[p]);
                    streams[p] = null;
                }
                failures[p] = null;
            }
            arrivals.clear();
            lock.notifyAll();
        }
        for (CompletableFuture<InputStream> f : cancel) {
            f.cancel(false);
        }
        drop.forEach(BlockFetchScheduler::closeQuietly);
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IOException("the reduce task's block fetches were closed");
        }
    }

    @SuppressWarnings("WaitNotInLoop") // both callers loop, re-checking their condition
    private void await() throws IOException {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException io = new InterruptedIOException("interrupted while waiting for shuffle blocks");
            io.initCause(e);
            throw io;
        }
    }

    private Taken takeLocked(int p) {
        states[p] = State.TAKEN;
        untaken--;
        bytesInFlight -= blocks.get(p).estimatedBytes();
        if (waitingFor == p) {
            waitingFor = -1;
        }
        Taken taken = new Taken(p, streams[p], failures[p]);
        streams[p] = null;
        failures[p] = null;
        return taken;
    }

    /** Chooses the requests to start now and marks them in flight; the caller starts them outside the lock. */
    private List<Integer> pickLocked() {
        List<Integer> picked = new ArrayList<>();
        if (closed) {
            return picked;
        }
        while (true) {
            int p = order == Order.BY_POSITION ? lowestQueued() : nextRoundRobin();
            if (p < 0 || !fits(p)) {
                break;
            }
            startLocked(p, picked);
        }
        // Only the reader can free bytes now, and it waits for a block the cap holds back: request it anyway.
        if (outstanding == 0 && waitingFor >= 0 && states[waitingFor] == State.QUEUED) {
            startLocked(waitingFor, picked);
        }
        return picked;
    }

    /** BY_POSITION: the lowest queued position if its server may take another request, else -1 (keeps order). */
    private int lowestQueued() {
        int lowest = -1;
        for (ServerQueue q : servers) {
            Integer head = q.queued.peek();
            if (head != null && (lowest < 0 || head < lowest)) {
                lowest = head;
            }
        }
        return lowest >= 0 && queueOf[lowest].outstanding < config.maxRequestsPerServer() ? lowest : -1;
    }

    /** BY_ARRIVAL: the next queued head, round-robin over servers that may take another request, or -1. */
    private int nextRoundRobin() {
        for (int i = 0; i < servers.size(); i++) {
            ServerQueue q = servers.get((nextServer + i) % servers.size());
            if (!q.queued.isEmpty() && q.outstanding < config.maxRequestsPerServer()) {
                nextServer = (nextServer + i + 1) % servers.size();
                return q.queued.peek();
            }
        }
        return -1;
    }

    private boolean fits(int p) {
        return bytesInFlight == 0 || bytesInFlight + blocks.get(p).estimatedBytes() <= config.maxBytesInFlight();
    }

    private void startLocked(int p, List<Integer> picked) {
        queueOf[p].queued.remove(p);
        queueOf[p].outstanding++;
        outstanding++;
        states[p] = State.IN_FLIGHT;
        bytesInFlight += blocks.get(p).estimatedBytes();
        peakBytesInFlight = Math.max(peakBytesInFlight, bytesInFlight);
        picked.add(p);
    }

    /**
     * Starts the fetches of {@code positions}. A fetch that is already over when it returns (a fetcher that fails at
     * once) is handled in this loop rather than by a nested call, so that a run of such failures cannot grow the
     * stack.
     */
    private void startAll(List<Integer> positions) {
        ArrayDeque<Integer> work = new ArrayDeque<>(positions);
        while (!work.isEmpty()) {
            int p = work.poll();
            RemoteBlock b = blocks.get(p);
            CompletableFuture<InputStream> f;
            try {
                f = fetcher.fetch(b.status(), b.reduceId());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            boolean cancel;
            synchronized (lock) {
                cancel = closed;
                if (!closed && states[p] == State.IN_FLIGHT) {
                    fetches.set(p, f);
                }
            }
            if (cancel) {
                f.cancel(false);
            }
            if (f.isDone()) {
                work.addAll(arrived(p, f));
            } else {
                CompletableFuture<InputStream> fetch = f;
                f.whenComplete((stream, error) -> startAll(arrived(p, fetch)));
            }
        }
    }

    /** Records a finished fetch (on a transport thread, or the starting one); returns the requests to start next. */
    private List<Integer> arrived(int p, CompletableFuture<InputStream> fetch) {
        InputStream stream = null;
        Throwable error = null;
        try {
            stream = fetch.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            error = e;
        }
        synchronized (lock) {
            if (closed || states[p] != State.IN_FLIGHT) {
                closeQuietly(stream);
                return List.of();
            }
            fetches.set(p, null);
            queueOf[p].outstanding--;
            outstanding--;
            states[p] = State.ARRIVED;
            if (error == null) {
                streams[p] = stream;
            } else {
                failures[p] = asIOException(error);
            }
            if (order == Order.BY_ARRIVAL) {
                arrivals.add(p);
            }
            lock.notifyAll();
            return pickLocked();
        }
    }

    private static IOException asIOException(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return t instanceof IOException io ? io : new IOException("fetch failed: " + t, t);
    }

    private static void closeQuietly(InputStream stream) {
        if (stream == null) {
            return;
        }
        try {
            stream.close();
        } catch (IOException e) {
            // heap bytes: nothing that could fail to be released
        }
    }
}
