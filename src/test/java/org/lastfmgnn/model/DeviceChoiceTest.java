package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * A training's {@code device} on the natives this build ships (PyTorch's CPU build): {@code auto} is the CPU,
 * {@code gpu} is refused with the reason and the way to a GPU, and a manager made for a device puts its tensors there.
 */
class DeviceChoiceTest {
    @Test
    void withTheCpuNativesAutoIsTheCpuAndGpuIsRefusedWithTheReason() {
        assertThat(Engines.pytorch().getGpuCount()).as("this build ships PyTorch's CPU natives").isZero();
        assertThat(Engines.device("auto")).isEqualTo(Device.cpu());
        assertThat(Engines.device("cpu")).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> Engines.device("gpu"))
                .hasMessageContaining("device 'gpu': PyTorch " + Engines.pytorch().getVersion() + " here sees no CUDA device")
                .hasMessageContaining("ai.djl.pytorch:pytorch-native-cu")
                .hasMessageContaining("use device: 'auto'");
        assertThatThrownBy(() -> Engines.device("tpu")).hasMessageContaining("device must be one of auto, cpu, gpu");
    }

    @Test
    void aManagerForADeviceKeepsItsTensorsThere() {
        try (NDManager manager = Engines.newManager(Engines.device("auto"));
             NDManager cpu = Engines.newCpuManager()) {
            NDArray x = Tensors.of(manager, new float[] {1, 2, 3, 4}, new Shape(2, 2));
            assertThat(x.getDevice()).isEqualTo(manager.getDevice());
            assertThat(cpu.getDevice()).isEqualTo(Device.cpu());
            Engines.awaitDevice(x);
            assertThat(x.toFloatArray()).containsExactly(1, 2, 3, 4);
        }
    }
}
