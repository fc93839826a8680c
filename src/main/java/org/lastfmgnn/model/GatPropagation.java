package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Graph attention (Velickovic et al. 2018) over features already transformed to [N, heads * width]:
 * e_uv = LeakyReLU(a_src . h_u + a_dst . h_v), softmax over each receiver's incoming edges (self-loop
 * included), messages weighted by it. The softmax is exp(e - max) over its receiver's sum: the shift is one constant
 * per head, which leaves every per-receiver softmax unchanged. Both the softmax and the weighted sum are the graph's
 * fused kernels ({@link EdgeAttention}); the scores a_src . h_u and a_dst . h_v, per user, are ordinary operations.
 */
public final class GatPropagation implements Layer {
    private final int heads;
    private final int width;
    private final boolean concat;
    private final Parameter attendSource;
    private final Parameter attendTarget;
    private final Parameter bias;
    /** Where the evaluation passes of {@link #recordAttention} on this thread leave each layer's attention. */
    private static final ThreadLocal<Map<GatPropagation, float[]>> RECORDED = new ThreadLocal<>();

    public GatPropagation(NDManager manager, String name, Random random, int heads, int width, boolean concat) {
        this.heads = heads;
        this.width = width;
        this.concat = concat;
        attendSource = Parameter.glorot(manager, name + ".attendSource", random, width, 1, new Shape(heads, width));
        attendTarget = Parameter.glorot(manager, name + ".attendTarget", random, width, 1, new Shape(heads, width));
        bias = Parameter.zeros(manager, name + ".bias", new Shape(concat ? heads * width : width));
    }

    @Override
    public NDArray forward(GraphTensors graph, NDArray x, boolean training) {
        int n = graph.nodeCount();
        NDArray h = x.reshape(n, heads, width);
        NDArray scoreSource = h.mul(attendSource.array()).sum(new int[] {2});
        NDArray scoreTarget = h.mul(attendTarget.array()).sum(new int[] {2});
        NDArray attention = graph.attention().softmax(scoreSource, scoreTarget);
        Map<GatPropagation, float[]> recorded = RECORDED.get();
        if (recorded != null && !training && graph.edgeMask() == null) {
            recorded.put(this, attention.toFloatArray());
        }
        if (graph.edgeMask() != null) {
            attention = attention.mul(graph.edgeMask().expandDims(1));
        }
        NDArray out = graph.attention().sum(x, attention);
        if (!concat) {
            out = out.reshape(n, heads, width).mean(new int[] {1});
        }
        return out.add(bias.array());
    }

    /** A pass's result and the attention its layers recorded. */
    public record Recorded<T>(T result, Map<GatPropagation, float[]> attention) {
    }

    /**
     * Runs {@code pass} on this thread and returns, beside its result, the attention of each layer's last unmasked
     * evaluation forward in it, [edges x heads] row-major, edges as in GraphTensors. The record is the caller's, not
     * a field of the layer: several threads may run one network at once (a model explained for many users side by
     * side), and each must read its own graph's attention; passes outside it copy nothing.
     */
    public static <T> Recorded<T> recordAttention(Supplier<T> pass) {
        Map<GatPropagation, float[]> outer = RECORDED.get();
        Map<GatPropagation, float[]> recorded = new HashMap<>();
        RECORDED.set(recorded);
        try {
            return new Recorded<>(pass.get(), recorded);
        } finally {
            RECORDED.set(outer);
        }
    }

    public int heads() {
        return heads;
    }

    /** Output width per head. */
    public int width() {
        return width;
    }

    /** Whether the heads' outputs are concatenated (hidden layers) rather than averaged (the last). */
    public boolean concatenates() {
        return concat;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(attendSource, attendTarget, bias);
    }
}
