package org.lastfmgnn.model;

/**
 * Everything needed to rebuild a body's layers (to train it, or to load saved weights into it).
 *
 * @param architecture gcn, gat or mlp
 * @param denseInputs  width of the dense input features
 * @param sparseInputs number of artists read as sparse inputs (0 when artists are not an input)
 * @param hidden       hidden layer widths (per head, for GAT)
 * @param heads        attention heads of GAT's hidden layers
 * @param classes      output width
 * @param inputDropout dropout rate on the inputs, training only
 * @param dropout      dropout rate before every later layer, training only
 */
public record ModelShape(Architecture architecture, int denseInputs, int sparseInputs, int[] hidden, int heads,
                         int classes, double inputDropout, double dropout) {
}
