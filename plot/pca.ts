/**
 * The first two principal components of a path x_0 … x_{T−1} in R^H, for the hidden-state
 * trajectory chart. Centre the rows, form the covariance C = XᵀX / (T − 1), and find its two
 * leading eigenvectors by power iteration with deflation (C ← C − λ₁ v₁ v₁ᵀ); project.
 * explained_k = λ_k / trace(C).
 */
export function pca2(
  x: ArrayLike<number>,
  T: number,
  H: number,
): { x: number[]; y: number[]; explained: [number, number] } {
  const mean = new Float64Array(H);
  for (let t = 0; t < T; t++) for (let j = 0; j < H; j++) mean[j] += x[t * H + j] / T;
  const c = new Float64Array(H * H);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < H; i++) {
      const xi = x[t * H + i] - mean[i];
      if (xi === 0) continue;
      for (let j = 0; j < H; j++) c[i * H + j] += (xi * (x[t * H + j] - mean[j])) / Math.max(1, T - 1);
    }
  }
  let total = 0;
  for (let i = 0; i < H; i++) total += c[i * H + i];
  const components: Float64Array[] = [];
  const values: number[] = [];
  for (let k = 0; k < 2; k++) {
    // A fixed, non-symmetric start vector: deterministic, and not orthogonal to the answer in practice.
    let v = Float64Array.from({ length: H }, (_, i) => 1 + ((i * 7919) % 13) / 13);
    let lambda = 0;
    for (let iter = 0; iter < 300; iter++) {
      const w = new Float64Array(H);
      for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) w[i] += c[i * H + j] * v[j];
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      for (let i = 0; i < H; i++) w[i] /= norm;
      const change = w.reduce((s, wi, i) => s + Math.abs(wi - v[i]), 0);
      v = w;
      lambda = norm;
      if (change < 1e-10) break;
    }
    components.push(v);
    values.push(lambda);
    for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) c[i * H + j] -= lambda * v[i] * v[j];
  }
  const project = (v: Float64Array) =>
    Array.from({ length: T }, (_, t) => {
      let s = 0;
      for (let j = 0; j < H; j++) s += (x[t * H + j] - mean[j]) * v[j];
      return s;
    });
  return {
    x: project(components[0]),
    y: project(components[1]),
    explained: [total > 0 ? values[0] / total : 0, total > 0 ? values[1] / total : 0],
  };
}
