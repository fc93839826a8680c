package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A GAT layer's work on the message edges, fused: the attention, a softmax over each receiver's incoming messages,
 * and the messages summed per receiver with it. Written out with tensor operations these are gathers, products and
 * sums over [E x heads] and [E x heads * width] tensors, each a pass of memory traffic, recorded by libtorch one
 * operation at a time, with the per-edge gathers' backward an indexed accumulation: most of a GAT epoch. Here:
 * <ul>
 *   <li>{@link #softmax}: score per sender [N x heads] and per receiver [N x heads] -> attention [E x heads]: e_uv =
 *       LeakyReLU(source_u + target_v, 0.2), exp(e - max) over its receiver's sum, the maximum (one per head, over
 *       all edges, without gradient) leaving every receiver's softmax unchanged;</li>
 *   <li>{@link #sum}: x [N x heads * width] and attention [E x heads] -> [N x heads * width], row v head h the sum
 *       over messages e = u -> v of attention[e, h] x[u, h], one {@code embedding_bag} in sum mode per head (each
 *       receiver a bag of its senders' rows of that head, weighted by the attention): nothing [E x heads * width]
 *       is made.</li>
 * </ul>
 * Sums per receiver run in the messages' order (each an {@code embedding_bag} over the receivers' CSR rows, which
 * {@link GraphTensors} holds), one fused multiply-add per weighted term; every mode computes the same forward, so
 * trained, evaluated, explained and exported GATs agree to the bit ({@code BodyScript} writes the same kernels).
 *
 * <p>Where our collectors record ({@link Gradients}: the trainings and the explainers, whose edge mask multiplies the
 * attention), both are taken without gradients, on the collector's tape, and their backward is this class's, again
 * by bags: for the sum, x's gradient per head is each sender's bag of its receivers' output gradients weighted by the
 * same attention, and the attention's is per message and head the receiver's output gradient . the sender's row; for
 * the softmax, the logits' gradient is a (g - sum over the receiver of a g), through LeakyReLU's slope, summed per
 * sender and per receiver. libtorch's own backward of {@code embedding_bag} is slow (a sort and an accumulation per
 * index): with it, explaining a GAT took 1.6 times as long. Where anything else records, libtorch records the same
 * kernels.
 */
public final class EdgeAttention {
    /** Messages by receiver: [N + 1] int64 row starts; each message's sender and receiver, [E] int64; 0..E-1. */
    private final NDArray rowStarts;
    private final NDArray sources;
    private final NDArray targets;
    private final NDArray edgeIds;
    /**
     * Messages by sender, built on first use (a GAT's graphs only; 16 bytes a message, counted by {@code
     * MemoryEstimate}): [N + 1] row starts, each message's receiver, the messages' order.
     */
    private NDList bySender;

    /** @param edgeIds 0..E-1, int64: the incidence matrix's columns, shared */
    EdgeAttention(NDArray rowStarts, NDArray sources, NDArray targets, NDArray edgeIds) {
        this.rowStarts = rowStarts;
        this.sources = sources;
        this.targets = targets;
        this.edgeIds = edgeIds;
    }

    /** Attention [E x heads] from each user's score as a sender and as a receiver, [N x heads] each. */
    NDArray softmax(NDArray sourceScore, NDArray targetScore) {
        NDList structure = new NDList(rowStarts, edgeIds, sources, targets);
        return apply(Kernel.SOFTMAX, Kernel.TAPED_SOFTMAX, structure, sourceScore, targetScore,
                (ss, st, attention, g) -> {
                    NDList t = bySender();
                    return new NDList(rowStarts, edgeIds, t.get(0), t.get(2), sources, targets, ss, st, attention, g);
                }, Kernel.SOFTMAX_BACKWARD);
    }

    /** [N x heads * width]: each receiver's sum of its senders' rows of x weighted per head by {@code attention}. */
    NDArray sum(NDArray x, NDArray attention) {
        NDList structure = new NDList(rowStarts, sources);
        return apply(Kernel.SUM, Kernel.TAPED_SUM, structure, x, attention,
                (xs, a, out, g) -> {
                    NDList t = bySender();
                    return new NDList(t.get(0), t.get(1), t.get(2), sources, targets, xs, a, g);
                }, Kernel.SUM_BACKWARD);
    }

    /**
     * TorchScript statements (serialised code, indented from the first column) of {@link #sum}'s forward: from {@code
     * x}, {@code attention}, {@code sources} and {@code row_starts} to {@code result}; they also set {@code heads},
     * {@code width}, {@code parts}, {@code head}, {@code part} and {@code bag}. {@code BodyScript} writes them into
     * exported modules, so that those compute what ours do, to the bit.
     */
    public static final String SUM_CODE = """
            heads = int(attention.size(1))
            width = int(x.size(1)) // heads
            parts = annotate(List[Tensor], [])
            for head in range(heads):
              part = torch.contiguous(torch.slice(x, 1, head * width, (head + 1) * width))
              bag = torch.contiguous(torch.select(attention, 1, head))
              sums, offset2bag, bag_size, max_indices = torch.embedding_bag(part, sources, row_starts, False, 0, False, bag, True, None)
              parts.append(sums)
            result = torch.cat(parts, 1)
            """;

    /**
     * TorchScript statements of {@link #softmax}'s forward: from {@code ss}, {@code st} (the scores as sender and as
     * receiver), {@code sources}, {@code targets}, {@code edge_ids} and {@code row_starts} to {@code result}; they
     * also set {@code logits}, {@code weights} and {@code normaliser} (see {@link #SUM_CODE}). Each head's maximum is
     * taken over the transposed logits, one contiguous row per head: the same values (a maximum is exact), 0.6 ms
     * instead of 1.3 for the reduction across [63,236 x 8]'s rows.
     */
    public static final String SOFTMAX_CODE = """
            logits = torch.leaky_relu(torch.add(torch.index_select(ss, 0, sources), torch.index_select(st, 0, targets)), 0.2)
            weights = torch.exp(torch.sub(logits, torch.detach(torch.unsqueeze(torch.amax(torch.contiguous(torch.t(logits)), [1]), 0))))
            normaliser, offset2bag, bag_size, max_indices = torch.embedding_bag(weights, edge_ids, row_starts, False, 0, False, None, True, None)
            result = torch.div(weights, torch.index_select(normaliser, 0, targets))
            """;

    /** The backward helper's arguments from the inputs, the output and the output's gradient. */
    private interface BackwardArguments {
        NDList of(NDArray first, NDArray second, NDArray output, NDArray outputGradient);
    }

    private NDArray apply(PtSymbolBlock forward, PtSymbolBlock taped, NDList structure, NDArray first,
                          NDArray second, BackwardArguments backwardArguments, PtSymbolBlock backward) {
        NDList arguments = new NDList(structure);
        arguments.add(first);
        arguments.add(second);
        NDArray out;
        if (Gradients.recording()) {
            NDList result = IValueUtils.forward(taped, arguments, true);
            out = result.get(0);
            long[] wanted = result.get(1).toLongArray();
            result.get(1).close();
            if (wanted[0] != 0 || wanted[1] != 0) {
                Gradients.record(new Step(first, second, out, wanted[0] != 0, wanted[1] != 0, backwardArguments,
                        backward));
            }
        } else {
            // recorded by libtorch when this thread records (DJL runs a module without gradients unless it trains)
            out = IValueUtils.forward(forward, arguments, JniUtils.isGradMode()).singletonOrThrow();
        }
        out.attach(first.getManager());
        return out;
    }

    private synchronized NDList bySender() {
        if (bySender == null) {
            NDManager owner = rowStarts.getManager();
            bySender = IValueUtils.forward(Kernel.BY_SENDER, new NDList(rowStarts, sources, targets), false);
            for (NDArray part : bySender) {
                part.attach(owner);
            }
            // kept as long as the graph, not closed with the scope of the backward pass that first needed them
            NDScope.unregister(bySender.toArray(new NDArray[0]));
        }
        return bySender;
    }

    /** One taped operation of two inputs: its backward, from the output's gradient, into those that want one. */
    private record Step(NDArray first, NDArray second, NDArray output, boolean intoFirst, boolean intoSecond,
                        BackwardArguments arguments, PtSymbolBlock backward) implements Gradients.Step {
        @Override
        public void backward(NDArray outputGradient) {
            boolean recording = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            NDList gradients;
            try {
                gradients = IValueUtils.forward(backward, arguments.of(first, second, output, outputGradient), false);
            } finally {
                JniUtils.setGradMode(recording);
            }
            try {
                if (intoSecond) {
                    JniUtils.backward((PtNDArray) second, (PtNDArray) gradients.get(1), true, false);
                }
                if (intoFirst) {
                    JniUtils.backward((PtNDArray) first, (PtNDArray) gradients.get(0), true, false);
                }
            } finally {
                gradients.close();
            }
        }
    }

    /** The TorchScript helpers ({@link ScriptKernels}); a taped one returns its output and which inputs want a gradient. */
    private static final class Kernel {
        private static final String SUM_ARGUMENTS = "row_starts: Tensor, sources: Tensor, x: Tensor, attention: Tensor";
        private static final String SOFTMAX_ARGUMENTS =
                "row_starts: Tensor, edge_ids: Tensor, sources: Tensor, targets: Tensor, ss: Tensor, st: Tensor";
        static final PtSymbolBlock SUM = ScriptKernels.load("AttentionSum", SUM_ARGUMENTS, "Tensor",
                SUM_CODE + "return result\n", true);
        static final PtSymbolBlock TAPED_SUM = ScriptKernels.load("TapedAttentionSum",
                SUM_ARGUMENTS.replace("x: Tensor, attention: Tensor", "x0: Tensor, attention0: Tensor"),
                "List[Tensor]", taped("x", "attention", SUM_CODE), true);
        static final PtSymbolBlock SOFTMAX = ScriptKernels.load("EdgeSoftmax", SOFTMAX_ARGUMENTS, "Tensor",
                SOFTMAX_CODE + "return result\n", true);
        static final PtSymbolBlock TAPED_SOFTMAX = ScriptKernels.load("TapedEdgeSoftmax",
                SOFTMAX_ARGUMENTS.replace("ss: Tensor, st: Tensor", "ss0: Tensor, st0: Tensor"),
                "List[Tensor]", taped("ss", "st", SOFTMAX_CODE), true);
        /**
         * {@code forward(row_starts, sources, targets)}: the messages by sender, [N + 1] row starts, each message's
         * receiver and the messages' order (the senders sorted stably: each sender's messages in their order).
         */
        static final PtSymbolBlock BY_SENDER = ScriptKernels.load("MessagesBySender",
                "row_starts: Tensor, sources: Tensor, targets: Tensor", "List[Tensor]", """
                sorted_sources, order = torch.sort(sources, stable=True)
                counts = torch.bincount(sorted_sources, None, int(row_starts.size(0)) - 1)
                starts = torch.cat([torch.new_zeros(counts, [1]), torch.cumsum(counts, 0)])
                return [starts, torch.index_select(targets, 0, order), order]
                """, false);
        /** The sum's backward: [x's gradient, the attention's]. */
        static final PtSymbolBlock SUM_BACKWARD = ScriptKernels.load("AttentionSumBackward",
                "t_starts: Tensor, t_targets: Tensor, t_order: Tensor, sources: Tensor, targets: Tensor, x: Tensor, "
                        + "attention: Tensor, g: Tensor", "List[Tensor]", """
                heads = int(attention.size(1))
                width = int(x.size(1)) // heads
                e = int(sources.size(0))
                outs = annotate(List[Tensor], [])
                for h in range(heads):
                  gh = torch.contiguous(torch.slice(g, 1, h * width, (h + 1) * width))
                  wh = torch.index_select(torch.select(attention, 1, h), 0, t_order)
                  out, offset2bag, bag_size, max_indices = torch.embedding_bag(gh, t_targets, t_starts, False, 0, False, wh, True, None)
                  outs.append(out)
                received = torch.view(torch.index_select(g, 0, targets), [e * heads, width])
                received.mul_(torch.view(torch.index_select(x, 0, sources), [e * heads, width]))
                return [torch.cat(outs, 1), torch.view(torch.mv(received, torch.new_ones(received, [width])), [e, heads])]
                """, false);
        /** The softmax's backward: [the sender scores' gradient, the receiver scores']. */
        static final PtSymbolBlock SOFTMAX_BACKWARD = ScriptKernels.load("EdgeSoftmaxBackward",
                "row_starts: Tensor, edge_ids: Tensor, t_starts: Tensor, t_order: Tensor, sources: Tensor, "
                        + "targets: Tensor, ss: Tensor, st: Tensor, attention: Tensor, g: Tensor", "List[Tensor]", """
                received, offset2bag, bag_size, max_indices = torch.embedding_bag(torch.mul(attention, g), edge_ids, row_starts, False, 0, False, None, True, None)
                logits = torch.mul(attention, torch.sub(g, torch.index_select(received, 0, targets)))
                pre = torch.add(torch.index_select(ss, 0, sources), torch.index_select(st, 0, targets))
                logits = torch.where(torch.gt(pre, 0.), logits, torch.mul(logits, 0.2))
                by_sender, offset2bag1, bag_size1, max_indices1 = torch.embedding_bag(logits, t_order, t_starts, False, 0, False, None, True, None)
                by_receiver, offset2bag2, bag_size2, max_indices2 = torch.embedding_bag(logits, edge_ids, row_starts, False, 0, False, None, True, None)
                return [by_sender, by_receiver]
                """, false);

        /** A forward body on its inputs {@code a0}, {@code b0} detached, its result a leaf wanting a gradient if they do. */
        private static String taped(String a, String b, String body) {
            return a + " = torch.detach(" + a + "0)\n" + b + " = torch.detach(" + b + "0)\n" + body
                    + "if " + a + "0.requires_grad or " + b + "0.requires_grad:\n"
                    + "  result.requires_grad_(True)\n"
                    + "return [result, torch.tensor([int(" + a + "0.requires_grad), int(" + b + "0.requires_grad)], device="
                    + a + "0.device)]\n";
        }
    }
}
