import { describe, expect, it } from 'vitest';
import { LayoutStore, slotOf, STORE_PREFIX } from '../web/src/layout-store.js';

/** localStorage's interface over a Map; `refuse` makes a call throw as a browser does (quota, denied). */
class MemoryStorage implements Storage {
  readonly items = new Map<string, string>();
  refuse: { setItem?: (key: string, value: string) => boolean; getItem?: boolean } = {};
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    if (this.refuse.getItem === true) throw new DOMException('The operation is insecure.', 'SecurityError');
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.refuse.setItem?.(key, value) === true) throw new DOMException('Quota exceeded', 'QuotaExceededError');
    this.items.set(key, String(value));
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
  /** This store's entries (not its index, not other keys). */
  entries(): string[] {
    return [...this.items.keys()].filter((key) => key.startsWith(`${STORE_PREFIX}.`));
  }
}

const dot = (k: number) => `digraph { a${k} -> b${k} }`;
const svg = (k: number) => `<svg><title>a${k}</title></svg>`;
const LIMITS = { entries: 3, characters: 10_000 };
/** The check of a stored SVG (the page's is stored-svg.ts, which needs a browser): here every SVG passes as it is. */
const asIs = (stored: string) => stored;

describe('layouts stored across page loads', () => {
  it('a layout written is read back for exactly its DOT text, by another page of the same version', () => {
    const storage = new MemoryStorage();
    new LayoutStore(() => storage, 'v1', asIs).write(dot(1), svg(1));
    const reloaded = new LayoutStore(() => storage, 'v1', asIs);
    expect(reloaded.read(dot(1))).toBe(svg(1));
    expect(reloaded.read(dot(2))).toBeUndefined();
    expect(reloaded.read(`${dot(1)} `)).toBeUndefined();
  });

  it('an entry in the DOT\'s slot holding another DOT text is a miss, never its picture', () => {
    const storage = new MemoryStorage();
    const store = new LayoutStore(() => storage, 'v1', asIs);
    store.write(dot(1), svg(1));
    // Another text that landed in the same slot (a hash collision, or a tampered entry).
    storage.setItem(`${STORE_PREFIX}.${slotOf(dot(1))}`, JSON.stringify([dot(2), svg(2)]));
    expect(store.read(dot(1))).toBeUndefined();
    expect(store.read(dot(2))).toBeUndefined();
  });

  it('a page of another layout version reads none of the old layouts and removes them all', () => {
    const storage = new MemoryStorage();
    const old = new LayoutStore(() => storage, 'graphviz 12+aaaa', asIs);
    old.write(dot(1), svg(1));
    old.write(dot(2), svg(2));
    storage.setItem('another page\'s key', 'kept');
    expect(storage.entries()).toHaveLength(2);
    expect(new LayoutStore(() => storage, 'graphviz 13+bbbb', asIs).read(dot(1))).toBeUndefined();
    expect(storage.entries()).toEqual([]);
    expect(storage.getItem('another page\'s key')).toBe('kept');
  });

  it('at most 3 entries: the least recently used goes first, and a read counts as a use', () => {
    const storage = new MemoryStorage();
    const store = new LayoutStore(() => storage, 'v1', asIs, LIMITS);
    for (const k of [1, 2, 3]) store.write(dot(k), svg(k));
    expect(store.read(dot(1))).toBe(svg(1));
    store.write(dot(4), svg(4));
    expect([1, 2, 3, 4].map((k) => store.read(dot(k)) !== undefined)).toEqual([true, false, true, true]);
    expect(storage.entries()).toHaveLength(3);
  });

  it('at most 100 characters of DOT and SVG: older layouts make room, and one bigger than that is not kept', () => {
    const storage = new MemoryStorage();
    const store = new LayoutStore(() => storage, 'v1', asIs, { entries: 10, characters: 100 });
    const sized = (k: number) => [dot(k), `<svg>${'x'.repeat(40 - dot(k).length - 5)}`] as const;
    for (const k of [1, 2, 3]) store.write(...sized(k));
    // 3 × 40 characters do not fit in 100: the first went.
    expect([1, 2, 3].map((k) => store.read(dot(k)) !== undefined)).toEqual([false, true, true]);
    store.write(dot(9), 'y'.repeat(101));
    expect(store.read(dot(9))).toBeUndefined();
    expect([2, 3].map((k) => store.read(dot(k)) !== undefined)).toEqual([true, true]);
  });

  it('entries the index does not list (another tab\'s write raced with this one) are removed on the next write', () => {
    const storage = new MemoryStorage();
    const store = new LayoutStore(() => storage, 'v1', asIs, LIMITS);
    store.write(dot(1), svg(1));
    storage.setItem(`${STORE_PREFIX}.stray`, JSON.stringify([dot(7), svg(7)]));
    store.write(dot(2), svg(2));
    expect(storage.entries().sort()).toEqual([`${STORE_PREFIX}.${slotOf(dot(1))}`, `${STORE_PREFIX}.${slotOf(dot(2))}`].sort());
  });

  it('a stored SVG is answered as the check gives it; one the check refuses is a miss and is removed, the others stay', () => {
    const storage = new MemoryStorage();
    const planted = '<svg><foreignObject><img src="x" onerror="alert(1)"></foreignObject></svg>';
    const refusePlanted = (stored: string) => (stored === planted ? undefined : `checked ${stored}`);
    const store = new LayoutStore(() => storage, 'v1', refusePlanted, LIMITS);
    for (const k of [1, 2]) store.write(dot(k), svg(k));
    expect(store.read(dot(1))).toBe(`checked ${svg(1)}`);
    // Another page wrote its own markup into the entry for the DOT text of layout 2.
    storage.setItem(`${STORE_PREFIX}.${slotOf(dot(2))}`, JSON.stringify([dot(2), planted]));
    expect(store.read(dot(2))).toBeUndefined();
    expect(storage.entries()).toEqual([`${STORE_PREFIX}.${slotOf(dot(1))}`]);
    expect(storage.getItem(`${STORE_PREFIX}s`)).not.toContain(slotOf(dot(2)));
    expect(store.read(dot(1))).toBe(`checked ${svg(1)}`);
  });

  it('a stored layout is answered even when the quota refuses its move to the end of the eviction line', () => {
    const storage = new MemoryStorage();
    const store = new LayoutStore(() => storage, 'v1', asIs, LIMITS);
    for (const k of [1, 2]) store.write(dot(k), svg(k));
    const index = storage.getItem(`${STORE_PREFIX}s`);
    storage.refuse.setItem = () => true;
    expect(store.read(dot(1))).toBe(svg(1));
    // The index was not rewritten, and nothing was removed.
    expect(storage.getItem(`${STORE_PREFIX}s`)).toBe(index);
    expect(storage.entries()).toHaveLength(2);
  });

  it('every storage failure is a miss and never an exception: no localStorage, refused access, a full quota, unreadable JSON', () => {
    const throwing = new LayoutStore(() => {
      throw new DOMException('Access is denied for this document.', 'SecurityError');
    }, 'v1', asIs);
    expect(() => throwing.write(dot(1), svg(1))).not.toThrow();
    expect(throwing.read(dot(1))).toBeUndefined();
    const none = new LayoutStore(() => undefined, 'v1', asIs);
    none.write(dot(1), svg(1));
    expect(none.read(dot(1))).toBeUndefined();

    const storage = new MemoryStorage();
    const store = new LayoutStore(() => storage, 'v1', asIs);
    storage.refuse.setItem = (key) => key !== `${STORE_PREFIX}s`;
    expect(() => store.write(dot(1), svg(1))).not.toThrow();
    expect(store.read(dot(1))).toBeUndefined();
    storage.refuse = { getItem: true };
    expect(store.read(dot(1))).toBeUndefined();

    storage.refuse = {};
    store.write(dot(2), svg(2));
    storage.setItem(`${STORE_PREFIX}.${slotOf(dot(2))}`, '[not json');
    expect(store.read(dot(2))).toBeUndefined();
    // An unreadable index starts again, with every entry removed.
    storage.setItem(`${STORE_PREFIX}s`, '{"version":"v1","slots":[["a",1,2]]}');
    expect(store.read(dot(2))).toBeUndefined();
    expect(storage.entries()).toEqual([]);
    store.write(dot(3), svg(3));
    expect(store.read(dot(3))).toBe(svg(3));
  });
});
