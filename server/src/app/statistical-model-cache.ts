import { createHash } from 'node:crypto';
import type { StatisticalModel, TrainingInputs } from '../domain';
import type { SyncStore } from '../store';

/** The store's meta entry holding the last trained statistical model and the hash of its inputs. */
export const MODEL_META_KEY = 'forecast.statisticalModel';

interface CachedModel {
  key: string;
  model: StatisticalModel;
}

/**
 * Keeps the statistical model between cycles. A model depends only on what its training read (closed
 * history before the current quarter, config, rates: see domain/forecast/statistical/training-key.ts),
 * so it is keyed by a SHA-256 of exactly that: a cycle whose inputs hash the same scores today's deals
 * with the kept model and gets the numbers a fresh training would give, bit for bit. Anything else
 * (a new quarter, edited config, a backdated close, a re-synced history) trains again and replaces it.
 */
export class StatisticalModelCache {
  private key: string | null = null;
  private reused = false;

  private constructor(
    private readonly store: Pick<SyncStore, 'setMeta'>,
    private readonly cached: CachedModel | null,
    private readonly now: () => number,
  ) {}

  /** Reads the kept model; an unreadable entry counts as none (the next save replaces it). */
  static async open(
    store: Pick<SyncStore, 'meta' | 'setMeta'>,
    now: () => number = Date.now,
  ): Promise<StatisticalModelCache> {
    const entry = await store.meta(MODEL_META_KEY);
    let cached: CachedModel | null = null;
    if (entry) {
      try {
        const value = JSON.parse(entry.value) as Partial<CachedModel>;
        if (typeof value.key === 'string' && value.model && Array.isArray(value.model.weights))
          cached = value as CachedModel;
      } catch {
        cached = null;
      }
    }
    return new StatisticalModelCache(store, cached, now);
  }

  /** The forecast engine's `reuseStatisticalModel`: hashes the training inputs, returns a match. */
  readonly reuse = (inputs: TrainingInputs): StatisticalModel | null => {
    const hash = createHash('sha256');
    inputs((text) => hash.update(text));
    this.key = hash.digest('hex');
    this.reused = this.cached !== null && this.cached.key === this.key;
    return this.reused ? this.cached!.model : null;
  };

  /** Whether the last forecast run scored with the kept model instead of training. */
  get hit(): boolean {
    return this.reused;
  }

  /** Keeps a freshly trained model under the key of its inputs (nothing to do after a reuse). */
  async save(model: StatisticalModel | null): Promise<void> {
    if (model === null || this.reused || this.key === null) return;
    await this.store.setMeta(MODEL_META_KEY, JSON.stringify({ key: this.key, model }), this.now());
  }
}
