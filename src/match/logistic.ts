/**
 * Multinomial (softmax) logistic regression with an L2 penalty over sparse binary features, fitted by
 * L-BFGS. Deterministic: no randomness, features and labels in the order given, so the same data gives the
 * same weights bit for bit. Small enough to own (about a hundred lines); the npm packages that do this are
 * dense, one-vs-rest or unmaintained (README, dependencies).
 */

/** One training row: the indexes of its features that are present, and its label's index. */
export interface SparseRow {
  features: readonly number[];
  label: number;
}

export interface SoftmaxData {
  rows: readonly SparseRow[];
  features: number;
  labels: number;
}

export interface SoftmaxOptions {
  /** The L2 penalty on the feature weights (not the biases), per row: loss = mean CE + l2/2 |W|^2. */
  l2: number;
  /** At most this many L-BFGS steps. */
  iterations: number;
  /** Stop when the loss falls by less than this (relative) in a step. */
  tolerance: number;
}

/**
 * Fitted weights, feature-major: `weights[f * labels + k]` for feature f and label k, then the biases
 * (`weights[features * labels + k]`).
 */
export function fitSoftmax(data: SoftmaxData, opts: SoftmaxOptions): Float64Array {
  const { rows, features: nf, labels: nk } = data;
  for (const r of rows) {
    if (!Number.isInteger(r.label) || r.label < 0 || r.label >= nk)
      throw new Error(`softmax: label ${r.label} outside 0..${nk - 1}`);
    for (const f of r.features)
      if (!Number.isInteger(f) || f < 0 || f >= nf)
        throw new Error(`softmax: feature ${f} outside 0..${nf - 1}`);
  }
  const n = Math.max(1, rows.length);
  const biasAt = nf * nk;
  const scores = new Float64Array(nk);
  const lossAndGradient = (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (const r of rows) {
      probabilities(w, r.features, nk, biasAt, scores);
      loss -= Math.log(Math.max(scores[r.label] as number, 1e-300));
      scores[r.label] = (scores[r.label] as number) - 1;
      for (let k = 0; k < nk; k++) {
        const d = (scores[k] as number) / n;
        scores[k] = d;
        grad[biasAt + k] = (grad[biasAt + k] as number) + d;
      }
      // Feature-major, so each feature's labels are adjacent in memory.
      for (const f of r.features) {
        const at = f * nk;
        for (let k = 0; k < nk; k++) grad[at + k] = (grad[at + k] as number) + (scores[k] as number);
      }
    }
    loss /= n;
    let penalty = 0;
    for (let i = 0; i < biasAt; i++) {
      const wi = w[i] as number;
      penalty += wi * wi;
      grad[i] = (grad[i] as number) + opts.l2 * wi;
    }
    return loss + (opts.l2 / 2) * penalty;
  };
  return minimiseLbfgs(lossAndGradient, new Float64Array(biasAt + nk), opts.iterations, opts.tolerance);
}

/** Softmax of the row's scores into `out` (length = labels). */
function probabilities(
  w: Float64Array,
  features: readonly number[],
  nk: number,
  biasAt: number,
  out: Float64Array,
): void {
  for (let k = 0; k < nk; k++) out[k] = w[biasAt + k] as number;
  for (const f of features) {
    const at = f * nk;
    for (let k = 0; k < nk; k++) out[k] = (out[k] as number) + (w[at + k] as number);
  }
  softmaxInPlace(out);
}

/** Turns scores into probabilities that sum to 1, without overflow. */
export function softmaxInPlace(s: Float64Array): void {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  let z = 0;
  for (let k = 0; k < s.length; k++) {
    const e = Math.exp((s[k] as number) - max);
    s[k] = e;
    z += e;
  }
  for (let k = 0; k < s.length; k++) s[k] = (s[k] as number) / z;
}

/**
 * Limited-memory BFGS (two-loop recursion, 6 pairs) with a backtracking (Armijo) line search. `f` writes
 * the gradient into its second argument and returns the value.
 */
export function minimiseLbfgs(
  f: (x: Float64Array, grad: Float64Array) => number,
  x0: Float64Array,
  iterations: number,
  tolerance: number,
): Float64Array {
  const m = 6;
  const dim = x0.length;
  let x: Float64Array = Float64Array.from(x0);
  let g: Float64Array = new Float64Array(dim);
  let fx = f(x, g);
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rhos: number[] = [];
  // Vectors dropped from the history are reused: a fresh one per step was a fifth of the fit in GC.
  const spare: Float64Array[] = [];
  const vector = () => spare.pop() ?? new Float64Array(dim);
  const dir = new Float64Array(dim);
  const alpha = new Array<number>(m).fill(0);
  const dot = (a: Float64Array, b: Float64Array) => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += (a[i] as number) * (b[i] as number);
    return s;
  };
  for (let it = 0; it < iterations; it++) {
    // Two-loop recursion: dir = -H g.
    for (let i = 0; i < dim; i++) dir[i] = -(g[i] as number);
    for (let j = ss.length - 1; j >= 0; j--) {
      const a = (rhos[j] as number) * dot(ss[j] as Float64Array, dir);
      alpha[j] = a;
      const y = ys[j] as Float64Array;
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) - a * (y[i] as number);
    }
    if (ss.length) {
      const last = ss.length - 1;
      const y = ys[last] as Float64Array;
      const gamma = dot(ss[last] as Float64Array, y) / dot(y, y);
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) * gamma;
    }
    for (let j = 0; j < ss.length; j++) {
      const b = (rhos[j] as number) * dot(ys[j] as Float64Array, dir);
      const s = ss[j] as Float64Array;
      const a = alpha[j] as number;
      for (let i = 0; i < dim; i++) dir[i] = (dir[i] as number) + (a - b) * (s[i] as number);
    }
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature went wrong): start again from steepest descent.
      ss.length = ys.length = rhos.length = 0;
      for (let i = 0; i < dim; i++) dir[i] = -(g[i] as number);
      slope = dot(g, dir);
    }
    if (slope === 0) break;
    let step = it === 0 && !ss.length ? 1 / Math.sqrt(-slope) : 1;
    const xn = vector();
    const gn = vector();
    let fn = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < dim; i++) xn[i] = (x[i] as number) + step * (dir[i] as number);
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fn < fx)) break;
    const s = vector();
    const y = vector();
    for (let i = 0; i < dim; i++) {
      s[i] = (xn[i] as number) - (x[i] as number);
      y[i] = (gn[i] as number) - (g[i] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      ss.push(s);
      ys.push(y);
      rhos.push(1 / sy);
      if (ss.length > m) {
        spare.push(ss.shift() as Float64Array, ys.shift() as Float64Array);
        rhos.shift();
      }
    } else spare.push(s, y);
    const drop = fx - fn;
    spare.push(x, g);
    x = xn;
    g = gn;
    fx = fn;
    if (drop <= tolerance * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}
