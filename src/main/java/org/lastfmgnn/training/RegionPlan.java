package org.lastfmgnn.training;

import java.util.List;
import org.lastfmgnn.model.RegionFamily;
import org.lastfmgnn.model.Refinement;

/**
 * What a region run may train for one model family: the body's grid (empty without a body) and the refinements
 * tried on each trained body. Every combination is judged on the validation split; refinements cost no
 * retraining, so they are tried after the body is fitted.
 */
public record RegionPlan(RegionFamily family, List<HyperParameters> grid, List<Refinement> refinements) {
    public RegionPlan {
        grid = List.copyOf(grid);
        refinements = List.copyOf(refinements);
        if (refinements.isEmpty()) {
            throw new IllegalArgumentException("a plan needs at least one refinement (Refinement.NONE for none)");
        }
        if ((family.body() == null) != grid.isEmpty()) {
            throw new IllegalArgumentException(family.label() + ": a body grid exactly when the family has a body");
        }
    }

    /** How many candidates the plan judges on validation. */
    public int size() {
        return Math.max(1, grid.size()) * refinements.size();
    }
}
