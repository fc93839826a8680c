package org.lastfmgnn.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of the grid: how a model's trained part (its body) is built and trained.
 *
 * @param epochs       maximum epochs; the epoch with the best validation accuracy is kept
 * @param heads        attention heads of GAT's hidden layers (GAT only)
 * @param inputDropout dropout on the inputs, training only
 * @param dropout      dropout before every later layer, training only
 * @param patience     stop after this many epochs without a better validation accuracy
 */
public record HyperParameters(double learningRate, double weightDecay, int[] hiddenSize, int epochs, int heads,
                              double inputDropout, double dropout, int patience) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("weightDecay", weightDecay);
        m.put("hiddenSize", Arrays.stream(hiddenSize).boxed().toList());
        m.put("epochs", epochs);
        m.put("heads", heads);
        m.put("inputDropout", inputDropout);
        m.put("dropout", dropout);
        m.put("patience", patience);
        return m;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HyperParameters h && toMap().equals(h.toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }
}
