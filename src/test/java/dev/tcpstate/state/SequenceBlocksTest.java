package dev.tcpstate.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The merged ranges answer as the plain list of every block did (the list it replaced). */
class SequenceBlocksTest {
    /** The former implementation: every block kept as it came, scanned whole each time. */
    private static final class EveryBlock {
        final List<long[]> blocks = new ArrayList<>();

        void add(long start, long end) {
            blocks.add(new long[] {start, end});
        }

        long drain(long next) {
            boolean moved = true;
            while (moved) {
                moved = false;
                for (var it = blocks.iterator(); it.hasNext(); ) {
                    long[] block = it.next();
                    if (block[0] <= next) {
                        next = Math.max(next, block[1]);
                        it.remove();
                        moved = true;
                    }
                }
            }
            return next;
        }

        long missing(long from, long to) {
            blocks.sort(Comparator.comparingLong(block -> block[0]));
            long missing = 0;
            long at = from;
            for (long[] block : blocks) {
                if (block[0] >= to) {
                    break;
                }
                if (block[0] > at) {
                    missing += block[0] - at;
                }
                at = Math.max(at, Math.min(block[1], to));
            }
            return missing + Math.max(0, to - at);
        }
    }

    @Test
    void answersAsEveryBlockKeptWould() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            SequenceBlocks blocks = new SequenceBlocks();
            EveryBlock reference = new EveryBlock();
            long next = random.nextLong(1_000);
            for (int step = 0; step < 60; step++) {
                int what = random.nextInt(10);
                if (what < 6) {
                    long start = next + 1 + random.nextLong(400);
                    long end = start + 1 + random.nextLong(60);
                    blocks.add(start, end);
                    reference.add(start, end);
                } else if (what < 8) {
                    long to = next + random.nextLong(500);
                    assertThat(blocks.missing(next, to)).as("round %d step %d", round, step)
                            .isEqualTo(reference.missing(next, to));
                } else {
                    next += random.nextLong(120); // in-order data or an acknowledgement moved it on
                    long drained = blocks.drain(next);
                    assertThat(drained).as("round %d step %d", round, step).isEqualTo(reference.drain(next));
                    next = drained;
                }
            }
            assertThat(blocks.isEmpty()).isEqualTo(reference.blocks.isEmpty());
        }
    }

    @Test
    void overlappingAndTouchingBlocksBecomeOne() {
        SequenceBlocks blocks = new SequenceBlocks();
        for (int i = 0; i < 100_000; i++) {
            blocks.add(1_000 + i * 10L, 1_000 + i * 10L + 10); // each segment starts where the last ended
            blocks.add(1_000, 1_010); // and the first is sent again and again
        }
        assertThat(blocks.size()).isEqualTo(1);
        assertThat(blocks.missing(0, 1_001_000)).isEqualTo(1_000);
        assertThat(blocks.drain(1_000)).isEqualTo(1_001_000);
        assertThat(blocks.isEmpty()).isTrue();
    }

    @Test
    void aHoleBetweenEveryTwoSegmentsIsBoundedAndForgetsTheHighest() {
        SequenceBlocks blocks = new SequenceBlocks();
        int segments = 1_000_000;
        long started = System.nanoTime();
        for (int i = 0; i < segments; i++) {
            blocks.add(10 + 2L * i, 11 + 2L * i); // one byte kept, one missing, a million times
        }
        assertThat(System.nanoTime() - started).as("appending stays cheap").isLessThan(5_000_000_000L);
        assertThat(blocks.size()).isEqualTo(SequenceBlocks.MAX_BLOCKS);
        long kept = SequenceBlocks.MAX_BLOCKS;
        // the lowest blocks are the ones kept: the holes above them count as missing
        long to = 10 + 2L * segments;
        assertThat(blocks.missing(10, to)).isEqualTo(to - 10 - kept);
        // a lower block still finds room: the highest kept is forgotten
        blocks.add(5, 6);
        assertThat(blocks.size()).isEqualTo(SequenceBlocks.MAX_BLOCKS);
        assertThat(blocks.missing(5, to)).isEqualTo(to - 5 - kept);
        assertThat(blocks.drain(5)).isEqualTo(6);
    }
}
