package org.lastfmgnn.explain;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lastfmgnn.graph.GraphSnapshot;
import org.lastfmgnn.graph.IntList;
import org.lastfmgnn.model.Engines;
import org.lastfmgnn.model.GraphTensors;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.RegionNetwork;
import org.lastfmgnn.model.Refinement;
import org.lastfmgnn.training.CrossValidation;
import org.lastfmgnn.training.Folds;
import org.lastfmgnn.training.HyperParameters;
import org.lastfmgnn.training.RegionFit;
import org.lastfmgnn.training.RegionInputs;

/**
 * A known answer: in a planted graph each probe user's region is decided by one friend, the only one with a
 * region (whose own friends share it); its other friends have no region and no other friend. Every explainer
 * that claims to work must rank that friend's message to the probe above the other candidate edges (AUROC of
 * its scores against the planted edge); random must not.
 */
class PlantedSignalTest {
    private static final int PROBES = 40;
    private static final int CLASSES = 3;
    private static GraphSnapshot graph;
    private static int[] probes;
    private static int[] deciders;

    @BeforeAll
    static void plant() {
        Random random = new Random(5);
        List<int[]> edges = new ArrayList<>();
        IntList regions = new IntList();
        probes = new int[PROBES];
        deciders = new int[PROBES];
        for (int i = 0; i < PROBES; i++) {
            int c = random.nextInt(CLASSES);
            int probe = add(regions, c);
            int decider = add(regions, c);
            probes[i] = probe;
            deciders[i] = decider;
            edges.add(new int[] {probe, decider});
            for (int s = 0; s < 3; s++) {
                edges.add(new int[] {decider, add(regions, c)});
            }
            for (int s = 0; s < 4; s++) {
                edges.add(new int[] {probe, add(regions, -1)});
            }
        }
        int n = regions.size();
        List<List<Integer>> adjacency = new ArrayList<>();
        for (int u = 0; u < n; u++) {
            adjacency.add(new ArrayList<>());
        }
        for (int[] e : edges) {
            adjacency.get(e[0]).add(e[1]);
            adjacency.get(e[1]).add(e[0]);
        }
        int[] offsets = new int[n + 1];
        IntList friends = new IntList();
        long[] ids = new long[n];
        for (int u = 0; u < n; u++) {
            ids[u] = u;
            adjacency.get(u).stream().sorted().forEach(friends::add);
            offsets[u + 1] = friends.size();
        }
        graph = new GraphSnapshot(ids, ids, regions.toArray(), offsets, friends.toArray(), new int[n + 1], new int[0],
                new int[0], new long[0], "none");
    }

    private static int add(IntList regions, int region) {
        regions.add(region);
        return regions.size() - 1;
    }

    @Test
    void everyMethodThatClaimsToWorkFindsThePlantedEdgeAndRandomDoesNot() {
        RegionInputs inputs = new RegionInputs(graph, Set.of("labels", "structure"), CLASSES);
        HyperParameters hp = new HyperParameters(0.02, 5e-4, new int[] {16}, 80, 1, 0, 0.2, 80);
        boolean[] labelled = new boolean[graph.userCount()];
        for (int u = 0; u < labelled.length; u++) {
            labelled[u] = graph.regions()[u] >= 0;
        }
        int[] all = Folds.members(labelled);
        boolean[] validation = Folds.holdOut(all, graph.regions(), 0.2, 3);
        boolean[] fit = labelled.clone();
        for (int u = 0; u < fit.length; u++) {
            fit[u] &= !validation[u];
        }
        Map<String, Double> auroc = new LinkedHashMap<>();
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, graph, false);
             RegionNetwork gcn = new RegionNetwork(manager, RegionFamily.GCN, true,
                     CrossValidation.shape(RegionFamily.GCN, hp, inputs, 0), CLASSES, 1)) {
            RegionFit.fit(gcn, tensors, inputs, graph.regions(), Folds.members(fit), Folds.members(validation), hp, 1, null);
            for (ExplainerMethod method : List.of(ExplainerMethod.SALIENCY, ExplainerMethod.GRADIENT, ExplainerMethod.INTEGRATED_GRADIENTS,
                    ExplainerMethod.OCCLUSION, ExplainerMethod.GNN_EXPLAINER, ExplainerMethod.RANDOM)) {
                double sum = 0;
                int correct = 0;
                for (int i = 0; i < PROBES; i++) {
                    try (NDManager scope = manager.newSubManager()) {
                        RegionExplained p = new RegionExplained(scope, gcn, tensors, inputs, graph.regions(), probes[i],
                                Refinement.NONE);
                        correct += p.explainedClass() == graph.regions()[probes[i]] ? 1 : 0;
                        int[] candidates = CandidateEdges.of(graph, tensors, probes[i], 2);
                        Attribution a = Explainers.explain(method, p, candidates,
                                new Explainers.Settings(100, 20), 11 + i);
                        sum += auroc(a.edges(), candidates, tensors, deciders[i], probes[i]);
                    }
                }
                assertThat(correct).as("the model learned the planted rule").isGreaterThanOrEqualTo(PROBES * 9 / 10);
                auroc.put(method.label(), sum / PROBES);
            }
        }
        System.out.println("planted-edge AUROC: " + auroc);
        for (String method : List.of("saliency", "gradient", "integratedGradients", "occlusion", "gnnExplainer")) {
            assertThat(auroc.get(method)).as(method).isGreaterThan(0.9);
        }
        assertThat(auroc.get("random")).isBetween(0.35, 0.65);
    }

    /**
     * Occlusion's batches (one pass over many disjoint copies of the graph, copy i without edge i) give what one pass
     * per removed edge gives, for every edge of the graph (several batches), with smoothing, for GCN and GAT.
     */
    @Test
    void occlusionInBatchesGivesWhatOnePassPerEdgeGives() {
        RegionInputs inputs = new RegionInputs(graph, Set.of("labels", "structure"), CLASSES);
        HyperParameters hp = new HyperParameters(0.02, 5e-4, new int[] {16}, 1, 2, 0, 0.2, 1);
        try (NDManager manager = Engines.pytorch().newBaseManager();
             GraphTensors tensors = new GraphTensors(manager, graph, false)) {
            int[] everyEdge = java.util.stream.IntStream.range(0, tensors.edgeCount()).toArray();
            assertThat(everyEdge.length).as("more edges than one batch holds").isGreaterThan(64);
            for (RegionFamily family : List.of(RegionFamily.GCN, RegionFamily.GAT)) {
                try (RegionNetwork network = new RegionNetwork(manager, family, true,
                        CrossValidation.shape(family, hp, inputs, 0), CLASSES, 7);
                     NDManager scope = manager.newSubManager()) {
                    RegionExplained p = new RegionExplained(scope, network, tensors, inputs, graph.regions(), probes[0],
                            new Refinement(0, 0.8, 3));
                    float[][] batched = p.probabilitiesWithoutEach(everyEdge);
                    float[] mask = new float[everyEdge.length];
                    java.util.Arrays.fill(mask, 1f);
                    float[] served = p.probabilities(null);
                    int moved = 0;
                    for (int e : everyEdge) {
                        mask[e] = 0f;
                        float[] single = p.probabilities(mask);
                        mask[e] = 1f;
                        assertThat(batched[e]).as("%s without edge %d", family, e)
                                .containsExactly(single, org.assertj.core.data.Offset.offset(1e-5f));
                        moved += Math.abs(single[p.explainedClass()] - served[p.explainedClass()]) > 1e-4 ? 1 : 0;
                    }
                    assertThat(moved).as("%s: edges whose removal moves the probe's prediction", family).isGreaterThan(5);
                }
            }
        }
    }

    /** AUROC of the scores against the one planted edge (decider -> probe): the share of other edges ranked below it. */
    private static double auroc(float[] scores, int[] candidates, GraphTensors tensors, int decider, int probe) {
        int planted = -1;
        for (int i = 0; i < candidates.length; i++) {
            if (tensors.sourceIndex()[candidates[i]] == decider && tensors.targetIndex()[candidates[i]] == probe) {
                planted = i;
            }
        }
        assertThat(planted).as("the planted edge is a candidate").isNotNegative();
        double below = 0;
        for (int i = 0; i < candidates.length; i++) {
            if (i != planted) {
                below += scores[i] < scores[planted] ? 1 : scores[i] == scores[planted] ? 0.5 : 0;
            }
        }
        return below / (candidates.length - 1);
    }
}
