package org.lastfmgnn.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The JVM-side work of a training spread over {@code concurrency} threads (GDS's setting of that name): per-user
 * and per-artist loops whose iterations are independent and write only their own slots, so that every result is
 * the same for any concurrency. Tensor work stays on the caller's thread (PyTorch's intra-op threads are a separate
 * setting). The caller's thread works too; the pool has {@code concurrency - 1} daemon threads and is shut down on
 * close.
 */
public final class Workers implements AutoCloseable {
    /** No extra thread: every loop runs on the caller's thread. */
    public static final Workers SEQUENTIAL = new Workers(1);

    /** Whether this thread is running a block of some forEach: a nested forEach runs inline (no waiting on itself). */
    private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

    private final int concurrency;
    private final ExecutorService pool;

    public Workers(int concurrency) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.concurrency = concurrency;
        AtomicInteger named = new AtomicInteger();
        this.pool = concurrency == 1 ? null : Executors.newFixedThreadPool(concurrency - 1, r -> {
            Thread t = new Thread(r, "lastfm-gnn-worker-" + named.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int concurrency() {
        return concurrency;
    }

    /**
     * Calls {@code body} once for each of 0..n-1, in blocks taken by whichever thread is free (iterations cost
     * unevenly: users have few or many friends), and returns when all are done. The first failure is rethrown.
     * Called from inside another forEach's body, it runs on that thread alone.
     */
    public void forEach(int n, IntConsumer body) {
        if (pool == null || n < 2 || INSIDE.get()) {
            for (int i = 0; i < n; i++) {
                body.accept(i);
            }
            return;
        }
        int block = Math.max(1, n / (concurrency * 16));
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            INSIDE.set(true);
            try {
                for (int from = next.getAndAdd(block); from < n; from = next.getAndAdd(block)) {
                    for (int i = from; i < Math.min(n, from + block); i++) {
                        body.accept(i);
                    }
                }
            } finally {
                INSIDE.set(false);
            }
        };
        List<Future<?>> helpers = new ArrayList<>(concurrency - 1);
        for (int t = 1; t < concurrency; t++) {
            helpers.add(pool.submit(worker));
        }
        RuntimeException failure = null;
        try {
            worker.run();
        } catch (RuntimeException e) {
            next.set(n); // the helpers stop at their next block
            failure = e;
        }
        for (Future<?> helper : helpers) {
            try {
                helper.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
