// Work that waits on the disk for most of its time: several items in flight keep libuv's thread
// pool busy, where one at a time leaves the process idle.

/** Calls `each` on every item, at most `limit` at a time; resolves when all are done. */
export async function forEachAtOnce<T>(items: readonly T[], limit: number, each: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await each(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
