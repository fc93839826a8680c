package org.lastfmgnn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;

/**
 * A sparse [R x C] matrix, applied to dense [C x F] matrices ([R x F] out): the product every propagation and every
 * sum over incoming messages is made of. Its non-zeros are given row by row (rows never decreasing), and each
 * output row is the sum of its terms in that order.
 *
 * <p>Where no collector of ours records gradients ({@link Gradients}: validation, predictions, label signals,
 * smoothing, fidelity; a thread's grad mode alone does not count, since libtorch turns it on in every new thread)
 * and on the CPU, the product is libtorch's {@code embedding_bag} in sum mode: each row is a
 * bag of the input's rows named by its columns, weighted by its values (the CSR form of the matrix: row starts,
 * columns, values), reached through a TorchScript helper because DJL does not expose the operator. It adds each
 * row's terms one after another, in the given order, with the same fused multiply-add as the COO product ({@code
 * torch.mm} on a COO tensor), so its values are the COO product's to the bit ({@code SparseProductTest}); what it
 * does not pay is the COO kernel's dispatch of one vector operation per non-zero, nearly all of that kernel's time
 * on graphs this sparse (LastFM's 63,236 messages: 0.4-0.5 ms instead of 2.2-2.8 ms at 18 and 64 columns).
 * Where gradients are recorded by a training ({@link Gradients#taped()}), the same {@code embedding_bag} without
 * gradients, its output a leaf on the collector's tape; the backward is then this matrix's transpose (CSR, built
 * natively on first use) times the output's gradient, again {@code embedding_bag} without gradients, whose sums run
 * in the order of the COO product's backward (a product with the coalesced transpose): values and gradients are
 * the COO product's to the bit ({@code SparseProductTest}). libtorch's recorded kernels are all slower here: the COO
 * product, forward and backward (7.7-8.3 ms at 64 columns on LastFM's 63,236 messages, 210-260 ms on the 3M
 * likes), {@code embedding_bag}'s and the CSR tensor's own backward (slower still: 340-400 ms on the likes), against
 * 0.4-0.6 ms and 10-17 ms a direction taped. Where another collector records ({@link Gradients#collector()}: the
 * explainers), the COO product. A sum by row ({@link #sumByRow}: every value 1, one per column, as a graph's sums
 * over incoming messages) is recorded as a scatter-add under either collector, its values and gradients again the COO
 * product's to the bit. (The GAT's sums over its messages are {@link EdgeAttention}'s own kernels, taped there.)
 */
public final class SparseProduct {
    private final NDArray coo;
    private final NDArray rowStarts;
    private final NDArray columns;
    private final NDArray values;
    /** For a sum matrix (one non-zero of 1 per column, columns in order): each column's row, [C] int64; else null. */
    private final NDArray rowOfColumn;
    /** This matrix transposed (CSR only, no COO), for the taped backward; built on first use. */
    private SparseProduct transposed;

    /**
     * @param coo       the matrix as a COO tensor, [R x C], its non-zeros in the order of {@code columns}
     * @param rowStarts [R + 1] int64: row r's non-zeros are {@code rowStarts[r]} to {@code rowStarts[r + 1]}
     * @param columns   [nnz] int64, each non-zero's column in [0, C); may be shared with other matrices
     * @param values    [nnz] float32, contiguous; may be a view of a tensor the caller keeps
     */
    SparseProduct(NDArray coo, NDArray rowStarts, NDArray columns, NDArray values) {
        this(coo, rowStarts, columns, values, null);
    }

    private SparseProduct(NDArray coo, NDArray rowStarts, NDArray columns, NDArray values, NDArray rowOfColumn) {
        this.coo = coo;
        this.rowStarts = rowStarts;
        this.columns = columns;
        this.values = values;
        this.rowOfColumn = rowOfColumn;
    }

    /**
     * The [R x C] matrix that sums rows by group: column c has one non-zero, 1, in row {@code row[c]}, and the rows
     * never decrease (a graph's messages by receiver). Times x [C x F], row r is the sum of x's rows c with {@code
     * row[c] = r}, in order. Where gradients are recorded it is a scatter-add (see {@link Kernel#SCATTER}).
     *
     * @param rowStarts {@link #rowStarts} of {@code row}; shared, as is {@code rowTensor}, {@code row} as a tensor
     */
    static SparseProduct sumByRow(NDManager manager, long[] row, NDArray rowStarts, NDArray rowTensor) {
        int columns = row.length;
        float[] ones = new float[columns];
        java.util.Arrays.fill(ones, 1f);
        long[] ids = new long[columns];
        for (int c = 0; c < columns; c++) {
            ids[c] = c;
        }
        NDArray coo = coo(manager, ones, new long[][] {row, ids}, new Shape(rowStarts.size() - 1, columns));
        return new SparseProduct(coo, rowStarts, Tensors.of(manager, ids), Tensors.of(manager, ones), rowTensor);
    }

    /**
     * The row starts of a matrix whose non-zeros come row by row: [rows + 1] int64.
     *
     * @throws IllegalArgumentException when a non-zero's row is below the one before it
     */
    static NDArray rowStarts(NDManager manager, long[] row, int rows) {
        long[] starts = new long[rows + 1];
        for (int k = 0; k < row.length; k++) {
            if (k > 0 && row[k] < row[k - 1]) {
                throw new IllegalArgumentException("the non-zeros must come row by row: row " + row[k] + " after "
                        + row[k - 1]);
            }
            starts[(int) row[k] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            starts[r + 1] += starts[r];
        }
        return Tensors.of(manager, starts);
    }

    /** A matrix from its non-zeros, row by row, each of its arrays its own. */
    static SparseProduct of(NDManager manager, long[] row, long[] column, float[] value, Shape shape) {
        NDArray starts = rowStarts(manager, row, (int) shape.get(0));
        return new SparseProduct(coo(manager, value, new long[][] {row, column}, shape), starts,
                Tensors.of(manager, column), Tensors.of(manager, value));
    }

    /** [R x C] times {@code x} [C x F]: [R x F], attached to this matrix's manager (as {@code matMul} would). */
    public NDArray times(NDArray x) {
        if (!x.getDevice().getDeviceType().equals(ai.djl.Device.Type.CPU) || x.getDataType() != DataType.FLOAT32
                || x.getShape().dimension() != 2 || values.size() == 0) {
            return coo.matMul(x);
        }
        NDArray out;
        if (!Gradients.recording()) {
            // nothing of ours records on this thread (its grad mode may still be libtorch's default, on)
            out = untracked(this, x);
        } else if (Gradients.taping() && rowOfColumn == null) {
            out = IValueUtils.forward(Kernel.TAPED, new NDList(rowStarts, columns, values, x), true).singletonOrThrow();
            if (JniUtils.requiresGrad((PtNDArray) out)) {
                Gradients.record(this, x, out);
            }
        } else if (rowOfColumn != null) {
            // told it trains, or libtorch runs the helper with gradients off (and nothing below it would learn)
            out = IValueUtils.forward(Kernel.SCATTER, new NDList(rowStarts, rowOfColumn, x), true).singletonOrThrow();
        } else {
            return coo.matMul(x);
        }
        out.attach(coo.getManager());
        return out;
    }

    /**
     * This matrix transposed times {@code g} ([R x F] -> [C x F]), nothing recorded: the gradient of {@code times(x)}
     * with respect to x, given the output's gradient {@code g}. The transpose's non-zeros are this matrix's sorted
     * stably by column, so that each of its rows sums in the order of this matrix's rows, as the COO product's
     * backward (a product with the coalesced transpose) does: the same gradients to the bit ({@code
     * SparseProductTest}). Built on first use and kept.
     */
    public NDArray transposedTimes(NDArray g) {
        NDArray out = untracked(transposed(), g);
        out.attach(coo.getManager());
        return out;
    }

    private synchronized SparseProduct transposed() {
        if (transposed == null) {
            NDManager owner = coo.getManager();
            try (NDArray columnCount = owner.zeros(new Shape(coo.getShape().get(1)), DataType.INT8)) {
                NDList csr = IValueUtils.forward(Kernel.TRANSPOSE, new NDList(rowStarts, columns, values, columnCount),
                        false);
                for (NDArray part : csr) {
                    part.attach(owner);
                }
                // kept as long as this matrix, not closed with the scope of the backward pass that first needed them
                NDScope.unregister(csr.toArray(new NDArray[0]));
                transposed = new SparseProduct(null, csr.get(0), csr.get(1), csr.get(2));
            }
        }
        return transposed;
    }

    /** {@code matrix} times {@code x} by {@code embedding_bag}, with gradients off whatever this thread records. */
    private static NDArray untracked(SparseProduct matrix, NDArray x) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return IValueUtils.forward(Kernel.MODULE, new NDList(matrix.rowStarts, matrix.columns, matrix.values, x),
                    false).singletonOrThrow();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    /** Each non-zero's column, [nnz] int64 (for a sum by row, 0..C-1). */
    NDArray columns() {
        return columns;
    }

    /** How many non-zeros the matrix has. */
    public long nonZeros() {
        return values.size();
    }

    /** The matrix as a COO tensor, e.g. to measure it. */
    public NDArray coo() {
        return coo;
    }

    /**
     * createCoo on the PyTorch engine keeps pointing at index/value buffers it frees right away; an immediate
     * copy gives the sparse tensor storage of its own (see STACK.md).
     */
    static NDArray coo(NDManager manager, float[] values, long[][] indices, Shape shape) {
        FloatBuffer buffer = FloatBuffer.wrap(values);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray borrowed = scratch.createCoo(buffer, indices, shape);
            NDArray owned = borrowed.duplicate();
            owned.attach(manager);
            return owned;
        }
    }

    /**
     * The helper module, loaded once per process into a manager that lives as long as it: {@code forward(row_starts,
     * columns, values, x)} sums, for each row, {@code values[k] * x[columns[k]]} over k from {@code row_starts[r]}
     * to {@code row_starts[r + 1]} ({@code embedding_bag(x, columns, row_starts, mode = sum, per_sample_weights =
     * values, include_last_offset = true)}; an empty row is zero).
     */
    private static final class Kernel {
        static final PtSymbolBlock MODULE = ScriptKernels.load("SparseSum",
                "row_starts: Tensor, columns: Tensor, values: Tensor, x: Tensor", "Tensor", """
                out, offset2bag, bag_size, max_indices = torch.embedding_bag(x, columns, row_starts, False, 0, False, values, True, None)
                return out
                """, false);
        /**
         * {@code forward(row_starts, columns, values, column_count)}: the CSR form of the transpose of the matrix
         * whose CSR form is given, {@code [row_starts, columns, values]}, with as many rows as {@code column_count}
         * (any [C] tensor) has elements. Its non-zeros are the given ones sorted stably by column, so each of its
         * rows keeps the given rows' order. Built natively: a like or a message costs no Java memory, and the
         * transient tensors (each non-zero's row, the sort's keys and order: 24 bytes a non-zero) go when it returns.
         */
        static final PtSymbolBlock TRANSPOSE = ScriptKernels.load("CsrTranspose",
                "row_starts: Tensor, columns: Tensor, values: Tensor, column_count: Tensor", "List[Tensor]", """
                rows = torch.repeat_interleave(torch.arange(int(row_starts.size(0)) - 1, device=row_starts.device), torch.diff(row_starts))
                sorted_columns, order = torch.sort(columns, stable=True)
                counts = torch.bincount(sorted_columns, None, int(column_count.size(0)))
                starts = torch.cat([torch.new_zeros(counts, [1]), torch.cumsum(counts, 0)])
                return [starts, torch.index_select(rows, 0, order), torch.index_select(values, 0, order)]
                """, false);
        /**
         * {@link #MODULE}'s product taken without gradients, its output made a leaf that collects one when x would
         * have passed one on ({@link Gradients}' tape). Whether x does is asked here: DJL's JNI reports {@code
         * requires_grad} false for the outputs of its own operations, which libtorch records all the same.
         */
        static final PtSymbolBlock TAPED = ScriptKernels.load("TapedSparseSum",
                "row_starts: Tensor, columns: Tensor, values: Tensor, x: Tensor", "Tensor", """
                out, offset2bag, bag_size, max_indices = torch.embedding_bag(torch.detach(x), columns, row_starts, False, 0, False, values, True, None)
                if x.requires_grad:
                  out.requires_grad_(True)
                return out
                """, true);
        /**
         * {@code forward(row_starts, row_of_column, x)}: x's rows summed into row_starts.size(0) - 1 rows by {@code
         * scatter_add} with the row index expanded over the columns, which libtorch's CPU kernel turns into a stable
         * sort of the rows and one vectorised accumulation per output row, in the given order: the COO product's sums
         * to the bit (adding x times exactly 1 rounds as adding x). Its backward is a gather of the output's gradient,
         * the COO product's too. The COO product pays one dispatched vector operation per non-zero, forward and
         * backward: 3.3-3.6 ms against 5.5-6.9 ms at 64 columns, 1.0 against 3.2-3.6 at 8, for LastFM's 63,236
         * messages, forward and backward.
         */
        static final PtSymbolBlock SCATTER = ScriptKernels.load("ScatterSum",
                "row_starts: Tensor, row_of_column: Tensor, x: Tensor", "Tensor", """
                index = torch.unsqueeze(row_of_column, 1).expand_as(x)
                out = torch.new_zeros(x, [int(row_starts.size(0)) - 1, x.size(1)])
                return torch.scatter_add(out, 0, index, x)
                """, true);
    }
}
