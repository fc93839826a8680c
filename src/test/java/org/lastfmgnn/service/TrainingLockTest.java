package org.lastfmgnn.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.training.MemoryEstimate;

class TrainingLockTest {
    @Test
    void oneTrainingPerModelAndRunsThatSaveNoneNeverWait() {
        try (TrainingLock a = TrainingLock.acquire("lastfm.gnn.train a", "a");
             TrainingLock b = TrainingLock.acquire("lastfm.gnn.train b", "b");
             TrainingLock e1 = TrainingLock.acquire("lastfm.recommend.friends.evaluate", "");
             TrainingLock e2 = TrainingLock.acquire("lastfm.recommend.friends.evaluate", "")) {
            assertThat(TrainingLock.isTraining("a")).isTrue();
            assertThatThrownBy(() -> TrainingLock.acquire("lastfm.gnn.train a", "a"))
                    .hasMessageContaining("Another training of model 'a' is running: lastfm.gnn.train a (started ")
                    .hasMessageContaining("or train under another modelName");
        }
        assertThat(TrainingLock.isTraining("a")).isFalse();
        TrainingLock.acquire("again", "a").close();
    }

    /** As GDS's memory guard: a run must fit in what is free less what the running ones reserved. */
    @Test
    void aRunMustFitBesideTheOthersReservations() throws Exception {
        long available = availableMemory();
        MemoryEstimate sixtyPercent = new MemoryEstimate(0, available / 10 * 6, 0, 0);
        try (TrainingLock a = TrainingLock.acquire("first", "a")) {
            a.reserve(sixtyPercent, Device.cpu());
            try (TrainingLock b = TrainingLock.acquire("second", "b")) {
                assertThatThrownBy(() -> b.reserve(sixtyPercent, Device.cpu()))
                        .hasMessageContaining("of native memory").hasMessageContaining("beside the trainings running now");
            }
        }
        try (TrainingLock b = TrainingLock.acquire("second", "b")) {
            b.reserve(sixtyPercent, Device.cpu()); // the first has ended: its reservation with it
        }
    }

    /**
     * A run whose tensors live on a GPU (a descriptor here: nothing is allocated) takes only its heap of this machine:
     * its native estimate is the device's memory, neither checked against this machine's nor held beside the others'.
     */
    @Test
    void aRunOnAnotherDeviceIsCheckedAndHeldForItsHeapAlone() throws Exception {
        long available = availableMemory();
        MemoryEstimate twiceTheMachine = new MemoryEstimate(0, available * 2, 0, 0);
        MemoryEstimate sixtyPercent = new MemoryEstimate(0, available / 10 * 6, 0, 0);
        try (TrainingLock onGpu = TrainingLock.acquire("on the GPU", "g")) {
            assertThatThrownBy(() -> onGpu.reserve(twiceTheMachine, Device.cpu())).hasMessageContaining("of native memory");
            onGpu.reserve(twiceTheMachine, Device.gpu());
            try (TrainingLock onCpu = TrainingLock.acquire("on the CPU", "c")) {
                onCpu.reserve(sixtyPercent, Device.cpu());
            }
            MemoryEstimate twiceTheHeap = new MemoryEstimate(Runtime.getRuntime().maxMemory() * 2, 0, 0, 0);
            try (TrainingLock heavy = TrainingLock.acquire("heavy", "h")) {
                assertThatThrownBy(() -> heavy.reserve(twiceTheHeap, Device.gpu())).hasMessageContaining("of JVM heap");
            }
        }
    }

    /** MemAvailable, bytes. */
    private static long availableMemory() throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemAvailable:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElseThrow();
    }
}
