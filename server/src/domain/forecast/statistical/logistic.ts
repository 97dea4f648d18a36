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

/**
 * The rows in compressed sparse form: the encoder sets about ten of ~35 features (one band per group),
 * so the fit visits only the non-zero entries, held in flat typed arrays rather than per-row objects.
 * Entries keep increasing feature order, so every sum adds the same terms in the same order as a
 * dense pass (the skipped terms are exact zeros): the weights are bit-for-bit those of the dense fit.
 */
export interface SparseRows {
  count: number;
  /** Row r's entries are start[r] … start[r + 1] − 1. */
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
  trials: Float64Array;
  successes: Float64Array;
}

/** Builds the sparse form; rows are added with `add` in the order the fit will visit them. */
export class SparseRowBuilder {
  private count = 0;
  private nnz = 0;
  private start: Int32Array = new Int32Array(1024);
  private index: Int32Array = new Int32Array(8192);
  private value: Float64Array = new Float64Array(8192);
  private trials: Float64Array = new Float64Array(1024);
  private successes: Float64Array = new Float64Array(1024);

  /** Adds a row from a dense vector; returns its position. */
  addDense(x: readonly number[], trials: number, successes: number): number {
    this.reserve(x.length);
    for (let j = 0; j < x.length; j += 1) {
      const v = x[j]!;
      if (v === 0) continue;
      this.index[this.nnz] = j;
      this.value[this.nnz] = v;
      this.nnz += 1;
    }
    return this.close(trials, successes);
  }

  /** Adds a row from its non-zero entries, given in increasing feature order; returns its position. */
  addSparse(index: readonly number[], value: readonly number[], trials: number, successes: number): number {
    this.reserve(index.length);
    for (let e = 0; e < index.length; e += 1) {
      this.index[this.nnz] = index[e]!;
      this.value[this.nnz] = value[e]!;
      this.nnz += 1;
    }
    return this.close(trials, successes);
  }

  /** Adds one trial to a row already added. */
  count1(row: number, success: 0 | 1): void {
    this.trials[row] += 1;
    this.successes[row] += success;
  }

  build(): SparseRows {
    this.start[this.count] = this.nnz;
    return {
      count: this.count,
      start: this.start.subarray(0, this.count + 1),
      index: this.index.subarray(0, this.nnz),
      value: this.value.subarray(0, this.nnz),
      trials: this.trials.subarray(0, this.count),
      successes: this.successes.subarray(0, this.count),
    };
  }

  private close(trials: number, successes: number): number {
    const row = this.count;
    this.trials[row] = trials;
    this.successes[row] = successes;
    this.count += 1;
    this.start[this.count] = this.nnz;
    return row;
  }

  private reserve(entries: number): void {
    if (this.count + 2 > this.start.length) {
      this.start = growInt(this.start, this.start.length * 2);
      this.trials = growFloat(this.trials, this.start.length);
      this.successes = growFloat(this.successes, this.start.length);
    }
    if (this.nnz + entries > this.index.length) {
      const size = Math.max(this.index.length * 2, this.nnz + entries);
      this.index = growInt(this.index, size);
      this.value = growFloat(this.value, size);
    }
  }
}

function growInt(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

function growFloat(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/** Dense rows → sparse form (kept for callers and tests that hold dense rows). */
export function sparseRows(rows: readonly AggregatedRow[]): SparseRows {
  const b = new SparseRowBuilder();
  for (const row of rows) b.addDense(row.x, row.trials, row.successes);
  return b.build();
}

/** Feature 0 is the intercept and is not penalised. */
export function fitLogistic(
  rows: readonly AggregatedRow[] | SparseRows,
  dims: number,
  l2: number,
  maxIterations: number,
): LogisticModel {
  const data = Array.isArray(rows) ? sparseRows(rows as readonly AggregatedRow[]) : (rows as SparseRows);
  const { start, index, value, trials, successes } = data;
  const w = new Float64Array(dims);
  const g = new Float64Array(dims);
  // Upper triangle of the Hessian, row-major (h[a * dims + b] for b >= a).
  const h = new Float64Array(dims * dims);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations && !converged; iterations += 1) {
    g.fill(0);
    h.fill(0);
    for (let r = 0; r < data.count; r += 1) {
      const from = start[r]!;
      const to = start[r + 1]!;
      let z = 0;
      for (let e = from; e < to; e += 1) z += w[index[e]!]! * value[e]!;
      const p = sigmoid(z);
      const n = trials[r]!;
      const residual = n * p - successes[r]!;
      const curvature = n * p * (1 - p);
      for (let e = from; e < to; e += 1) {
        const a = index[e]!;
        const xa = value[e]!;
        g[a] += residual * xa;
        const row = a * dims;
        const ca = curvature * xa;
        for (let f = e; f < to; f += 1) h[row + index[f]!] += ca * value[f]!;
      }
    }
    const m: number[][] = [];
    for (let a = 0; a < dims; a += 1) {
      const line = new Array<number>(dims + 1);
      for (let b = 0; b < dims; b += 1) line[b] = b >= a ? h[a * dims + b]! : h[b * dims + a]!;
      // A tiny ridge on the intercept keeps the system solvable when a class is absent.
      line[a] = line[a]! + (a === 0 ? 1e-9 : l2);
      line[dims] = a > 0 ? g[a]! + l2 * w[a]! : g[a]!;
      m.push(line);
    }
    const step = solve(m);
    let largest = 0;
    for (let a = 0; a < dims; a += 1) {
      w[a] -= step[a]!;
      largest = Math.max(largest, Math.abs(step[a]!));
    }
    converged = largest < 1e-9;
  }
  return { weights: Array.from(w), iterations, converged };
}

/** Gaussian elimination with partial pivoting on [A | b]; the Hessian is symmetric positive definite. */
function solve(m: number[][]): number[] {
  const n = m.length;
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
