/**
 * Wraps an async function so that callers arriving while a call is in flight share its result
 * instead of starting another. Used for token refresh: when several requests see a 401 at once,
 * exactly one login happens and all of them continue on the new token.
 */
export function singleFlight<T>(fn: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= fn().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
