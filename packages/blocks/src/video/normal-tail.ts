/**
 * P(Z >= z) for a standard normal Z: 0.5 * erfc(z / √2). Node has no erf, and the maintained
 * package for it (@stdlib) brings 139 packages, so erfc is Numerical Recipes' Chebyshev fit
 * (fractional error below 1.2e-7 everywhere), ample for a percentile compared to a threshold.
 */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const tail = t * Math.exp(-z * z + poly);
  return x >= 0 ? tail : 2 - tail;
}
