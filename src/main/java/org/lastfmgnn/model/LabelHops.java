package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;

/**
 * What the known labels say about each user, computed inside the forward pass from the input users' labels
 * by message passing over the friendships (so an edge mask removes a friend's label along with its edge):
 * <pre>
 *   labels [N x C] one-hot rows of the input users, zero rows elsewhere
 *   -> [N x 3(C + 1)]:
 *      own label (C) and whether it is known (1),
 *      1-hop: the sum of the friends' labels over the number of friends that carry one (C), and the share of
 *             friends that carry one (1),
 *      2-hop: the same over the friends' 1-hop distributions (C + 1).
 * </pre>
 * The numerators run over the (masked) messages; the denominators are counted on the whole graph, as the GCN's
 * degrees are: on the graph as served the 1-hop and 2-hop parts are distributions, and a masked or removed
 * friend takes its share away linearly (it is not renormalised onto the others, which would make one labelled
 * friend count fully at any mask above zero). This is the "labels as features" signal; it reads no label that
 * is not an input.
 */
public final class LabelHops {
    private static final float EMPTY = 1e-6f;

    private LabelHops() {
    }

    /** Output width for {@code classes} classes. */
    public static int width(int classes) {
        return 3 * (classes + 1);
    }

    /** A name per output column, in order (c: a region id). */
    public static java.util.List<String> columnNames(int classes) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String[] part : new String[][] {{"ownLabel", "ownLabelKnown"}, {"friendsLabels", "friendsLabelledShare"},
            {"friendsOfFriendsLabels", "friendsWithSignalShare"}}) {
            for (int c = 0; c < classes; c++) {
                names.add(part[0] + "_" + c);
            }
            names.add(part[1]);
        }
        return names;
    }

    /** @param labels [N x C]; returns [N x 3(C + 1)] */
    public static NDArray forward(GraphTensors graph, NDArray labels) {
        int classes = (int) labels.getShape().get(1);
        NDArray one = Tensors.scalar(labels.getManager(), 1f);
        NDArray empty = Tensors.scalar(labels.getManager(), EMPTY);
        NDArray degree = graph.degrees().maximum(one);
        NDArray known = labels.sum(new int[] {1}, true);
        // 1-hop: [sum of labels | labelled friends] over the messages
        NDArray first = graph.propagate(GraphTensors.Adjacency.SUM, NDArrays.concat(new NDList(labels, known), 1));
        NDArray labelledFriends = graph.edgeMask() == null ? column(first, classes)
                : graph.withoutEdgeMask().propagate(GraphTensors.Adjacency.SUM, known);
        NDArray hop1 = columns(first, classes).div(labelledFriends.maximum(empty));
        NDArray carries = labelledFriends.minimum(one); // whether a friend has a 1-hop signal on the whole graph
        // 2-hop: [sum of the friends' 1-hop distributions | friends that carry one]
        NDArray second = graph.propagate(GraphTensors.Adjacency.SUM, NDArrays.concat(new NDList(hop1, carries), 1));
        NDArray carryingFriends = graph.edgeMask() == null ? column(second, classes)
                : graph.withoutEdgeMask().propagate(GraphTensors.Adjacency.SUM, carries);
        NDArray hop2 = columns(second, classes).div(carryingFriends.maximum(empty));
        return NDArrays.concat(new NDList(labels, known, hop1, column(first, classes).div(degree), hop2,
                column(second, classes).div(degree)), 1);
    }

    private static NDArray columns(NDArray x, int classes) {
        return x.get(":, :" + classes);
    }

    private static NDArray column(NDArray x, int classes) {
        return x.get(":, " + classes + ":");
    }
}
