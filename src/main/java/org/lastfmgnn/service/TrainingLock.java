package org.lastfmgnn.service;

import ai.djl.Device;
import java.util.HashMap;
import java.util.Map;
import org.lastfmgnn.training.MemoryEstimate;

/**
 * The trainings running in this server, one per model: a second run that would save the same model is refused at
 * once, naming the first; runs of different models go on side by side, each on its own thread (PyTorch's grad
 * mode and each training's random draws are its own: Gradients, Dropout). Each holds the memory its estimate
 * reserved until it ends, and a new run must fit in what is free less the others' reservations, as GDS's memory
 * guard does for its tasks.
 */
public final class TrainingLock implements AutoCloseable {
    private static final Map<String, TrainingLock> RUNNING = new HashMap<>(); // guarded by itself
    private final String what;
    private final String key;
    private final String started = java.time.Instant.now().toString();
    private MemoryEstimate reserved;

    private TrainingLock(String what, String key) {
        this.what = what;
        this.key = key;
    }

    /**
     * @param modelName the model the run will save (the catalog leaves its files alone while it runs); empty for a
     *                  run that saves none, which never waits for another
     */
    public static TrainingLock acquire(String what, String modelName) {
        synchronized (RUNNING) {
            TrainingLock running = RUNNING.get(modelName);
            if (running != null) {
                throw new IllegalStateException("Another training of model '" + modelName + "' is running: " + running
                        + ". Wait for it (CALL lastfm.gnn.progress()) or stop it (TERMINATE TRANSACTION), then retry; "
                        + "or train under another modelName.");
            }
            TrainingLock lock = new TrainingLock(what, modelName.isEmpty() ? what + "@" + System.nanoTime() : modelName);
            RUNNING.put(lock.key, lock);
            return lock;
        }
    }

    /** Whether a training that will save {@code modelName} is running now. */
    public static boolean isTraining(String modelName) {
        synchronized (RUNNING) {
            return RUNNING.containsKey(modelName);
        }
    }

    /**
     * Holds {@code estimate} for this run, whose tensors live on {@code device}, or throws (naming what to change) when
     * it does not fit beside the others'. Off the CPU the estimate's native part is the device's memory, of which this
     * machine's available memory says nothing: only its heap is checked and held, and a training too large for the
     * device fails at its first allocation with the device's out-of-memory error, before it has written anything.
     */
    public void reserve(MemoryEstimate estimate, Device device) {
        MemoryEstimate held = device.getDeviceType().equals(Device.Type.CPU) ? estimate : estimate.heapOnly();
        synchronized (RUNNING) {
            long heap = 0;
            long nativeBytes = 0;
            for (TrainingLock other : RUNNING.values()) {
                if (other != this && other.reserved != null) {
                    heap += other.reserved.heapBytes();
                    nativeBytes += other.reserved.nativeBytes();
                }
            }
            held.requireFits(heap, nativeBytes);
            reserved = held;
        }
    }

    @Override
    public String toString() {
        return what + " (started " + started + ")";
    }

    @Override
    public void close() {
        synchronized (RUNNING) {
            RUNNING.remove(key, this);
        }
    }
}
