package anteater.udf;

/**
 * Memory for the windows queued to workers and for large restore frames, shared by every connection of the JVM
 * (socket mode: many task nodes in one process). Amounts are in window values (about 16 bytes each); a restore
 * frame counts its bytes / 16.
 *
 * <p>Windows: a connection whose queued values plus the new window would exceed its own bound or the shared total
 * waits, except that a connection with nothing queued always queues one window. Its own worker drains its queue, so
 * every wait ends and no connection is starved by the others for ever. Restores: a frame waits, at most a given
 * time, while the shared total would be exceeded (unless nothing at all is held); then it is refused.
 *
 * <p>One monitor (this object) guards all the counts, so there is no lock ordering to get wrong.
 */
final class MemoryBudget {
    static final int BYTES_PER_VALUE = 16;

    private final long total;
    private long used;
    private int waiters;

    MemoryBudget(long total) {
        if (total <= 0) throw new IllegalArgumentException("total " + total);
        this.total = total;
    }

    /** A connection's bound on queued window values: a quarter of the heap, at least 1 M values. */
    static long perConnectionValues() {
        return Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 64);
    }

    /** Stdio mode, one connection: its own bounds (queue and one restore frame), so the shared total never binds. */
    static MemoryBudget forOneConnection(int maxFrame) {
        return new MemoryBudget(perConnectionValues() + units(FrameReader.maxRestoreFrame(maxFrame)));
    }

    /** Socket mode: half the heap for all connections together (twice one connection's bound). */
    static MemoryBudget shared() {
        return new MemoryBudget(2 * perConnectionValues());
    }

    /** Budget units for a number of bytes. */
    static long units(long bytes) {
        return (bytes + BYTES_PER_VALUE - 1) / BYTES_PER_VALUE;
    }

    long total() {
        return total;
    }

    synchronized long used() {
        return used;
    }

    /** Threads waiting in reserve calls at this moment (for tests). */
    synchronized int waiters() {
        return waiters;
    }

    /** Waits on the monitor (held by the caller), counted in {@link #waiters} while it does. */
    private void await(long ms) throws InterruptedException {
        waiters++;
        try {
            wait(ms);
        } finally {
            waiters--;
        }
    }

    /** A connection's part of the budget, with its own bound on queued values. */
    Share join(long limit) {
        return new Share(limit);
    }

    final class Share {
        private final long limit;
        private long queued;
        private long restoring;
        private boolean left;

        private Share(long limit) {
            this.limit = limit;
        }

        /** Reserves a window's values; waits while over a bound unless nothing of this connection is queued. */
        void reserve(long n) throws InterruptedException {
            synchronized (MemoryBudget.this) {
                while (queued > 0 && (queued + n > limit || used + n > total)) await(0);
                if (left) return;
                queued += n;
                used += n;
            }
        }

        void release(long n) {
            synchronized (MemoryBudget.this) {
                if (left) return;
                queued -= n;
                used -= n;
                MemoryBudget.this.notifyAll();
            }
        }

        /**
         * Reserves units for a restore frame: waits while they would exceed the shared total (a restore alone always
         * fits), at most {@code waitMs}. Returns false, reserving nothing, if they still do not fit then.
         */
        boolean reserveRestore(long units, long waitMs) throws InterruptedException {
            synchronized (MemoryBudget.this) {
                long deadline = System.nanoTime() + waitMs * 1_000_000L;
                while (used > 0 && used + units > total) {
                    long remaining = (deadline - System.nanoTime()) / 1_000_000L;
                    if (remaining <= 0) return false;
                    await(remaining);
                }
                if (left) return false;
                restoring += units;
                used += units;
                return true;
            }
        }

        void releaseRestore(long units) {
            synchronized (MemoryBudget.this) {
                if (left) return;
                restoring -= units;
                used -= units;
                MemoryBudget.this.notifyAll();
            }
        }

        /**
         * The connection ended: whatever it still holds (windows dropped from its queue after an error, a restore
         * never decoded) goes back; releases that come later are ignored.
         */
        void leave() {
            synchronized (MemoryBudget.this) {
                if (left) return;
                left = true;
                used -= queued + restoring;
                queued = 0;
                restoring = 0;
                MemoryBudget.this.notifyAll();
            }
        }

        long queued() {
            synchronized (MemoryBudget.this) {
                return queued;
            }
        }

        MemoryBudget budget() {
            return MemoryBudget.this;
        }
    }
}
