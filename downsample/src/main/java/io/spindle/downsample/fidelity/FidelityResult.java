package io.spindle.downsample.fidelity;

/**
 * How far a reduced line chart is from the raw one: the percentage of mismatched pixels and the mean DSSIM, both
 * over the windows that hold a line pixel (see {@link Fidelity}); 0 and 0 mean identical charts.
 */
public record FidelityResult(double pixelMismatchPercent, double dssim) {
}
