// Connected wire adapters of the shims, so that a write can refresh the wires that show the
// records it changed (the platform does this through its shared record cache).

const connected = new Set();

export function track(adapter) {
  connected.add(adapter);
}

export function untrack(adapter) {
  connected.delete(adapter);
}

/** Refreshes every connected adapter that shows one of the records; resolves when all have reloaded. */
export function refreshRecords(recordIds) {
  const ids = new Set();
  for (const id of recordIds) {
    if (typeof id === 'string' && id) {
      ids.add(id);
      ids.add(id.slice(0, 15));
    }
  }
  const hits = [...connected].filter((a) => a.showsAnyOf(ids));
  return Promise.all(hits.map((a) => a.refresh())).then(() => undefined);
}

/** A stable key for a wire config, so a repeated identical `update` does not reload. */
export function configKey(config) {
  return JSON.stringify(config, (key, value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, value[k]]),
    );
  });
}
