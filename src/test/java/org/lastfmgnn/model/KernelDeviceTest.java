package org.lastfmgnn.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Our TorchScript (the kernels of {@code ScriptKernels}, the exported modules of {@code BodyScript}) makes every new
 * tensor beside its inputs: a factory such as {@code torch.zeros([1], dtype=4)} allocates on the CPU whatever device
 * the inputs are on, which fails (a device mismatch) the first time a training runs on a GPU, and no machine here has
 * one to find it. So the sources are read: every tensor factory names its {@code device=}, or the code uses the
 * {@code new_*} forms that take the device of the tensor they are called on.
 */
class KernelDeviceTest {
    private static final Pattern FACTORY = Pattern.compile(
            "torch\\.(zeros|ones|empty|full|arange|rand|randn|randint|randperm|tensor|eye|linspace)\\(");

    @Test
    void everyTensorTheScriptsAllocateIsPlacedBesideTheirInputs() throws IOException {
        List<String> calls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                Matcher m = FACTORY.matcher(source);
                while (m.find()) {
                    calls.add(file.getFileName() + ": " + call(source, m.end()));
                }
            }
        }
        // the aranges of the transposes and of the exported GAT, the taped kernels' flags
        assertThat(calls).hasSizeGreaterThanOrEqualTo(3);
        assertThat(calls).allSatisfy(call -> assertThat(call).contains("device="));
    }

    /** The call's arguments from just after its opening parenthesis to the one that closes it. */
    private static String call(String source, int start) {
        int depth = 1;
        int i = start;
        while (depth > 0 && i < source.length()) {
            char c = source.charAt(i++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        return source.substring(start, i);
    }
}
