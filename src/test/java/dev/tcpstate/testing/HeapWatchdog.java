package dev.tcpstate.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Samples the heap left live by the last collection of each pool, every 20 ms: what a program
 * keeps, not the garbage it makes. Start it, run the work, interrupt it, read {@link #mostLive}.
 */
public final class HeapWatchdog extends Thread {
    private volatile long mostLive;

    public HeapWatchdog() {
        setDaemon(true);
    }

    /** The most heap left live after a collection, in bytes, while it ran. */
    public long mostLive() {
        return mostLive;
    }

    @Override
    public void run() {
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null).toList();
        while (!isInterrupted()) {
            long live = 0;
            for (MemoryPoolMXBean pool : heap) {
                live += pool.getCollectionUsage().getUsed();
            }
            mostLive = Math.max(mostLive, live);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
