package org.lastfmgnn.graph;

import java.util.Arrays;

/** A growable int array: the graph holds millions of ints, which boxed lists would make 4-5 times larger. */
public final class IntList {
    private int[] data = new int[16];
    private int size;

    public void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, size * 2);
        }
        data[size++] = v;
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
}
