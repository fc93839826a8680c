package org.lastfmgnn.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of the grid.
 *
 * @param epochs   maximum epochs; the epoch with the best validation accuracy is kept
 * @param patience stop after this many epochs without a better validation accuracy
 * @param smoothing alpha of the label smoothing applied to the model's output (Correct and Smooth's second
 *                  step); 0 turns it off
 */
public record HyperParameters(double learningRate, double weightDecay, int[] hiddenSize, int epochs, int heads,
                              double dropout, int patience, double smoothing) {

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learningRate", learningRate);
        m.put("weightDecay", weightDecay);
        m.put("hiddenSize", Arrays.stream(hiddenSize).boxed().toList());
        m.put("epochs", epochs);
        m.put("heads", heads);
        m.put("dropout", dropout);
        m.put("patience", patience);
        m.put("smoothing", smoothing);
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
