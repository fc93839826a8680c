package org.lastfmgnn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lastfmgnn.torchscript.TorchScriptArchive;

/**
 * libtorch operators DJL does not expose ({@code embedding_bag}, {@code scatter_add}, {@code sort}), reached as small
 * TorchScript modules written here and loaded once per process, each into a manager that lives as long as it.
 */
final class ScriptKernels {
    private ScriptKernels() {
    }

    /**
     * Loads a module {@code name} whose {@code forward(self, arguments) -> returns} runs {@code body} (TorchScript's
     * serialised code, indented from its first column), with its {@code training} flag set: DJL runs a module with
     * gradients off unless told that it trains.
     */
    static PtSymbolBlock load(String name, String arguments, String returns, String body, boolean training) {
        StringBuilder code = new StringBuilder("class ").append(name).append("(Module):\n")
                .append("  __parameters__ = []\n  __buffers__ = []\n  training : bool\n")
                .append("  def forward(self: __torch__.").append(name).append(", ").append(arguments).append(") -> ")
                .append(returns).append(":\n");
        body.lines().filter(line -> !line.isBlank()).forEach(line -> code.append("    ").append(line).append('\n'));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("training", training);
        try {
            byte[] archive = TorchScriptArchive.bytes(new TorchScriptArchive.Module(name, code.toString(), attributes,
                    Map.of()));
            NDManager owner = Engines.newCpuManager();
            return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive), true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
