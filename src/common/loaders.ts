import DataLoader from "dataloader";

/** A loader answering each key with one row or null, from a batch that returns rows by key. */
export function rowLoader<TRow>(batch: (keys: readonly number[]) => Promise<Map<number, TRow>>) {
  return new DataLoader<number, TRow | null>(async (keys) => {
    const rows = await batch(keys);
    return keys.map((key) => rows.get(key) ?? null);
  });
}

/** A loader answering each key with a list (possibly empty), from a batch that groups rows by key. */
export function listLoader<TRow>(batch: (keys: readonly number[]) => Promise<Map<number, TRow[]>>) {
  return new DataLoader<number, TRow[]>(async (keys) => {
    const groups = await batch(keys);
    return keys.map((key) => groups.get(key) ?? []);
  });
}
