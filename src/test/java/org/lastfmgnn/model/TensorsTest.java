package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Tensors made from Java arrays hold the values given, and no tensor is made from a Java array any other way. */
class TensorsTest {
    @Test
    void everyTensorHoldsItsValues() {
        Random random = new Random(7);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            for (int i = 0; i < 200; i++) {
                int n = 1 + random.nextInt(300);
                float[] floats = new float[n];
                long[] longs = new long[n];
                int[] ints = new int[n];
                for (int k = 0; k < n; k++) {
                    floats[k] = random.nextFloat();
                    longs[k] = random.nextLong();
                    ints[k] = random.nextInt();
                }
                NDArray f = Tensors.of(manager, floats, new Shape(n, 1));
                NDArray l = Tensors.of(manager, longs);
                NDArray x = Tensors.indices(manager, ints);
                assertThat(f.getShape()).isEqualTo(new Shape(n, 1));
                assertThat(f.toFloatArray()).containsExactly(floats);
                assertThat(l.toLongArray()).containsExactly(longs);
                assertThat(x.getDataType()).isEqualTo(DataType.INT64);
                assertThat(x.toLongArray()).containsExactly(java.util.Arrays.stream(ints).asLongStream().toArray());
            }
        }
    }

    /**
     * A tensor filled through the view {@link Tensors#floats} gives holds exactly what was put, in order (the view is
     * of the tensor's own memory, not of a copy), and a fill that leaves bytes unput is refused.
     */
    @Test
    void aTensorFilledThroughItsViewHoldsWhatWasPut() {
        Random random = new Random(11);
        try (NDManager manager = Engines.pytorch().newBaseManager()) {
            for (int i = 0; i < 50; i++) {
                int rows = 1 + random.nextInt(700);
                int columns = 1 + random.nextInt(70);
                float[] values = new float[rows * columns];
                for (int k = 0; k < values.length; k++) {
                    values[k] = (float) random.nextGaussian();
                }
                NDArray t = Tensors.floats(manager, new Shape(rows, columns), view -> {
                    view.order(ByteOrder.nativeOrder());
                    for (float v : values) {
                        view.putFloat(v);
                    }
                });
                assertThat(t.getShape()).isEqualTo(new Shape(rows, columns));
                assertThat(t.toFloatArray()).containsExactly(values);
            }
            assertThatThrownBy(() -> Tensors.floats(manager, new Shape(3, 2), view -> view.putFloat(1f)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not put");
        }
    }

    /** Main code makes tensors from Java arrays only through Tensors. */
    @Test
    void noOtherCodeMakesATensorFromAJavaArray() throws IOException {
        // NDManager.create with anything but a Shape first: an array or a buffer (export's NumpyArchive only
        // serialises, its tensors never reach a product)
        Pattern create = Pattern.compile("(?i)(manager\\(\\)|manager|scratch|owner|\\bm)\\.create\\((?!\\s*(new )?Shape)");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (file.endsWith("Tensors.java") || file.endsWith("NumpyArchive.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = create.matcher(lines.get(i));
                    if (m.find()) {
                        found.add(file.getFileName() + ":" + (i + 1) + " " + lines.get(i).trim());
                    }
                }
            }
        }
        assertThat(found).as("tensors made from Java arrays outside Tensors").isEmpty();
    }
}
