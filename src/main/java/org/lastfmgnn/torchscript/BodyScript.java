package org.lastfmgnn.torchscript;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lastfmgnn.model.Dropout;
import org.lastfmgnn.model.EdgeAttention;
import org.lastfmgnn.model.GatPropagation;
import org.lastfmgnn.model.GcnPropagation;
import org.lastfmgnn.model.Layer;
import org.lastfmgnn.model.Linear;
import org.lastfmgnn.model.NodeClassifier;
import org.lastfmgnn.model.Nonlinearity;
import org.lastfmgnn.model.Parameter;

/**
 * One of our bodies (GCN, GAT or MLP, dense inputs) written as a TorchScript module with {@link
 * org.lastfmgnn.model.ScriptedBody}'s {@code forward(x, edge_index, edge_weight)}, computing what our layers compute
 * in the same kernels and order, so the module's logits equal ours to the bit:
 * <ul>
 *   <li>linear: {@code matmul(h, W) + b};</li>
 *   <li>GCN propagation: D^-1/2 (A + I) D^-1/2 with D - I counted from the edges that are not self-loops (whole-graph
 *       degrees, not reduced by a mask), 1 / sqrt(degree + 1) in float64 then float32 as ours, each message's
 *       weight times {@code edge_weight}, summed by a sparse COO product over (target, source) in edge order;</li>
 *   <li>GAT attention: the edges sorted stably by receiver (ours already are), then per head a_src . h_u and a_dst .
 *       h_v, and our GAT kernels' own statements ({@link EdgeAttention#SOFTMAX_CODE}: LeakyReLU 0.2, exp after the
 *       gradient-free maximum over all edges, over each receiver's sum; then times {@code edge_weight}; {@link
 *       EdgeAttention#SUM_CODE}: the messages weighted and summed per receiver and head by {@code embedding_bag});
 *       heads concatenated, or averaged in the last layer; plus the bias;</li>
 *   <li>ReLU (GCN, MLP) or ELU (GAT) between layers; dropout is left out (the module is the served function).</li>
 * </ul>
 * Shapes: x [N x F], edge_index [2 x E] int64, edge_weight [E]; returns logits [N x C].
 */
public final class BodyScript {
    private BodyScript() {
    }

    /** {@code body} as a TorchScript module named {@code className}, with {@code extraFiles} under {@code extra/}. */
    public static TorchScriptArchive.Module of(NodeClassifier body, String className, Map<String, byte[]> extraFiles) {
        List<String> steps = new ArrayList<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        List<String> parameters = new ArrayList<>();
        boolean propagates = false;
        boolean attends = false;
        int linear = 0;
        int attention = 0;
        for (Layer layer : body.layers()) {
            if (layer instanceof Linear l) {
                List<Parameter> p = l.parameters();
                if (p.size() != 2) {
                    throw new IllegalArgumentException("bodies that read the artist likes (a sparse input) are not written "
                            + "as TorchScript; train without 'artists' in inputs");
                }
                String w = "weight" + linear;
                String b = "bias" + linear;
                attributes.put(w, tensor(p.get(0)));
                attributes.put(b, tensor(p.get(1)));
                parameters.add(w);
                parameters.add(b);
                steps.add("    h = torch.add(torch.matmul(h, self." + w + "), self." + b + ")");
                linear++;
            } else if (layer instanceof GcnPropagation) {
                steps.add("    h = torch.mm(gcn, h)");
                propagates = true;
            } else if (layer instanceof GatPropagation gat) {
                List<Parameter> p = gat.parameters();
                String source = "attendSource" + attention;
                String target = "attendTarget" + attention;
                String bias = "attentionBias" + attention;
                attributes.put(source, tensor(p.get(0)));
                attributes.put(target, tensor(p.get(1)));
                attributes.put(bias, tensor(p.get(2)));
                parameters.addAll(List.of(source, target, bias));
                steps.addAll(attentionSteps(gat, source, target, bias));
                attends = true;
                attention++;
            } else if (layer == Nonlinearity.RELU) {
                steps.add("    h = torch.relu(h)");
            } else if (layer == Nonlinearity.ELU) {
                steps.add("    h = torch.elu(h, 1.)");
            } else if (!(layer instanceof Dropout)) {
                throw new IllegalArgumentException("only GCN, GAT and MLP bodies are written as TorchScript, not "
                        + layer.getClass().getSimpleName() + " layers");
            }
        }
        attributes.put("training", false);
        StringBuilder code = new StringBuilder();
        code.append("class ").append(className).append("(Module):\n");
        code.append("  __parameters__ = [");
        parameters.forEach(p -> code.append('"').append(p).append("\", "));
        code.append("]\n  __buffers__ = []\n");
        parameters.forEach(p -> code.append("  ").append(p).append(" : Tensor\n"));
        code.append("  training : bool\n");
        code.append("  def forward(self: __torch__.").append(className)
                .append(", x: Tensor, edge_index: Tensor, edge_weight: Tensor) -> Tensor:\n");
        if (propagates || attends) {
            code.append("""
                        source = torch.select(edge_index, 0, 0)
                        target = torch.select(edge_index, 0, 1)
                        n = torch.size(x, 0)
                        e = torch.size(edge_index, 1)
                    """);
        }
        if (attends) {
            // EdgeAttention's kernels read the messages by receiver: sorted stably (ours already are, and stay as they are)
            code.append("""
                        order = torch.argsort(target, stable=True)
                        sources = torch.index_select(source, 0, order)
                        targets = torch.index_select(target, 0, order)
                        mask = torch.unsqueeze(torch.index_select(edge_weight, 0, order), 1)
                        row_starts = torch.cat([torch.new_zeros(targets, [1]), torch.cumsum(torch.bincount(targets, None, n), 0)])
                        edge_ids = torch.arange(e, device=target.device)
                    """);
        }
        if (propagates) {
            code.append("""
                        friendships = torch.to(torch.ne(source, target), 7)
                        degree = torch.index_add(torch.new_zeros(friendships, [n]), 0, target, friendships)
                        scale = torch.to(torch.reciprocal(torch.sqrt(torch.add(degree, 1.))), 6)
                        weight = torch.mul(torch.mul(torch.index_select(scale, 0, target), torch.index_select(scale, 0, source)), edge_weight)
                        gcn = torch.sparse_coo_tensor(torch.stack([target, source]), weight, [n, n])
                    """);
        }
        code.append("    h = x\n");
        steps.forEach(s -> code.append(s).append('\n'));
        code.append("    return h\n");
        return new TorchScriptArchive.Module(className, code.toString(), attributes, extraFiles);
    }

    /** One {@link GatPropagation} as TorchScript, on h [N x heads * width] (see the class comment). */
    private static List<String> attentionSteps(GatPropagation gat, String source, String target, String bias) {
        int heads = gat.heads();
        int width = gat.width();
        String perHead = "[n, " + heads + ", " + width + "]";
        List<String> steps = new ArrayList<>(List.of(
                "    scores = torch.reshape(h, " + perHead + ")",
                "    ss = torch.sum(torch.mul(scores, self." + source + "), [2])",
                "    st = torch.sum(torch.mul(scores, self." + target + "), [2])"));
        steps.addAll(indented(EdgeAttention.SOFTMAX_CODE));
        steps.add("    attention = torch.mul(result, mask)");
        steps.add("    x = h");
        steps.addAll(indented(EdgeAttention.SUM_CODE));
        steps.add("    h = result");
        if (!gat.concatenates()) {
            steps.add("    h = torch.mean(torch.reshape(h, " + perHead + "), [1])");
        }
        steps.add("    h = torch.add(h, self." + bias + ")");
        return steps;
    }

    private static List<String> indented(String code) {
        return code.lines().map(line -> "    " + line).toList();
    }

    private static TorchScriptArchive.Tensor tensor(Parameter p) {
        return new TorchScriptArchive.Tensor(p.values(), p.array().getShape().getShape());
    }
}
