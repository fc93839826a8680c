package org.lastfmgnn.graph;

import java.util.Arrays;

/** A growable int array: the graph holds millions of ints, which boxed lists would make 4-5 times larger. */
public final class IntList {
    private int[] data;
    private int size;

    public IntList() {
        this(16);
    }

    /** @param capacity room for this many values before the first growth (a copy of everything held) */
    public IntList(int capacity) {
        data = new int[Math.max(1, capacity)];
    }

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
    }

    public int get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i + " of " + size);
        }
        return data[i];
    }

    public int size() {
        return size;
    }

    /** Sorts the values from {@code from} to the end in place. */
    public void sortTail(int from) {
        Arrays.sort(data, from, size);
    }

    public int[] toArray() {
        return Arrays.copyOf(data, size);
    }

    /**
     * The values, handing over the backing array when it is exactly full (no copy: for hundreds of millions of
     * values the copy alone is gigabytes); this list is empty afterwards.
     */
    public int[] release() {
        int[] out = size == data.length ? data : Arrays.copyOf(data, size);
        data = new int[1];
        size = 0;
        return out;
    }
}
