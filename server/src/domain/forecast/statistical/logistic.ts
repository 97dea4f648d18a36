/**
 * L2-regularised logistic regression fitted by Newton's method on aggregated rows (identical feature
 * vectors merged, with their trial and success counts). Deterministic: fixed iteration order, no
 * randomness, a fixed iteration cap.
 */
export interface AggregatedRow {
  x: number[];
  trials: number;
  successes: number;
}

export interface LogisticModel {
  weights: number[];
  iterations: number;
  converged: boolean;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

export function predict(model: LogisticModel, x: readonly number[]): number {
  let z = 0;
  for (let j = 0; j < x.length; j += 1) z += model.weights[j]! * x[j]!;
  return sigmoid(z);
}

/** Feature 0 is the intercept and is not penalised. */
export function fitLogistic(
  rows: readonly AggregatedRow[],
  dims: number,
  l2: number,
  maxIterations: number,
): LogisticModel {
  const w = new Array<number>(dims).fill(0);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations += 1) {
    const g = new Array<number>(dims).fill(0);
    const h = Array.from({ length: dims }, () => new Array<number>(dims).fill(0));
    for (const row of rows) {
      const p = predict({ weights: w, iterations: 0, converged: false }, row.x);
      const residual = row.trials * p - row.successes;
      const curvature = row.trials * p * (1 - p);
      for (let a = 0; a < dims; a += 1) {
        const xa = row.x[a]!;
        if (xa === 0) continue;
        g[a] += residual * xa;
        const ha = h[a]!;
        for (let b = a; b < dims; b += 1) {
          const xb = row.x[b]!;
          if (xb !== 0) ha[b] += curvature * xa * xb;
        }
      }
    }
    for (let a = 0; a < dims; a += 1) {
      for (let b = 0; b < a; b += 1) h[a]![b] = h[b]![a]!;
      // A tiny ridge on the intercept keeps the system solvable when a class is absent.
      h[a]![a] += a === 0 ? 1e-9 : l2;
      if (a > 0) g[a] += l2 * w[a]!;
    }
    const step = solve(h, g);
    let largest = 0;
    for (let a = 0; a < dims; a += 1) {
      w[a] -= step[a]!;
      largest = Math.max(largest, Math.abs(step[a]!));
    }
    converged = largest < 1e-9;
  }
  return { weights: w, iterations, converged };
}

/** Gaussian elimination with partial pivoting; the Hessian is symmetric positive definite. */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]!;
    if (Math.abs(p) < 1e-300) continue;
    for (let r = col + 1; r < n; r += 1) {
      const f = m[r]![col]! / p;
      if (f === 0) continue;
      for (let c = col; c <= n; c += 1) m[r]![c] -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r -= 1) {
    let sum = m[r]![n]!;
    for (let c = r + 1; c < n; c += 1) sum -= m[r]![c]! * x[c]!;
    const p = m[r]![r]!;
    x[r] = Math.abs(p) < 1e-300 ? 0 : sum / p;
  }
  return x;
}
