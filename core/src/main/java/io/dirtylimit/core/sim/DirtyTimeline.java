package io.dirtylimit.core.sim;

import java.util.Arrays;

/**
 * When a simulated vCPU dirtied its pages: pieces of time at a constant rate, in time order, from
 * the moment its limit applied. Answers the worst-window question: the most pages dirtied in any
 * window of a given length, found exactly (the count over a sliding window is piecewise linear, so
 * its maximum is reached with a window edge on a piece's edge).
 */
final class DirtyTimeline {
    private long[] from = new long[256];
    private long[] to = new long[256];
    /** Pages dirtied up to the end of each piece. */
    private double[] pagesAtEnd = new double[256];
    private int size;
    private double total;

    /** {@code pages} dirtied evenly over {@code [start, end)}; pieces come in time order. */
    void add(long start, long end, double pages) {
        if (pages <= 0 || end <= start) {
            return;
        }
        if (size == from.length) {
            from = Arrays.copyOf(from, size * 2);
            to = Arrays.copyOf(to, size * 2);
            pagesAtEnd = Arrays.copyOf(pagesAtEnd, size * 2);
        }
        total += pages;
        from[size] = start;
        to[size] = end;
        pagesAtEnd[size] = total;
        size++;
    }

    /** Pages dirtied before {@code t}. */
    double pagesBefore(long t) {
        int i = lastPieceStartingBefore(t);
        if (i < 0) {
            return 0;
        }
        if (t >= to[i]) {
            return pagesAtEnd[i];
        }
        double piecePages = pagesAtEnd[i] - (i == 0 ? 0 : pagesAtEnd[i - 1]);
        return pagesAtEnd[i] - piecePages * (to[i] - t) / (double) (to[i] - from[i]);
    }

    /** The most pages in any window {@code [t, t + window)} with {@code first <= t} and {@code t + window <= last}. */
    double mostPagesInWindow(long window, long first, long last) {
        if (last - first <= window) {
            return pagesBefore(last) - pagesBefore(first);
        }
        double most = Math.max(pagesIn(first, window), pagesIn(last - window, window));
        for (int i = 0; i < size; i++) {
            most = Math.max(most, Math.max(windowAt(from[i], window, first, last), windowAt(to[i], window, first, last)));
        }
        return most;
    }

    /** The more pages of the two windows with an edge on {@code edge}: starting there, or ending there. */
    private double windowAt(long edge, long window, long first, long last) {
        double starting = pagesIn(clamp(edge, first, last - window), window);
        double ending = pagesIn(clamp(edge - window, first, last - window), window);
        return Math.max(starting, ending);
    }

    private double pagesIn(long start, long window) {
        return pagesBefore(start + window) - pagesBefore(start);
    }

    private int lastPieceStartingBefore(long t) {
        int low = 0;
        int high = size - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (from[mid] < t) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
