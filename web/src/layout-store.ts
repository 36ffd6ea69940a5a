/*
 * Layouts kept across page loads (localStorage), so a reloaded or reopened link shows its graph
 * without waiting for Graphviz's start. An entry holds its DOT text in full and answers only that
 * exact text (a short hash only picks its slot); all entries belong to one version of the layout
 * code (LAYOUT_VERSION: Graphviz and the SVG finishing), and a page of another version removes
 * them. Bounded in entries and characters, least recently used out first. Storage is a cache:
 * anything that fails (no localStorage, a file:// or private-mode refusal, a full quota,
 * another tab's half-written entry) is a miss, and Graphviz draws as before.
 */

/** Every key this store writes starts with this (docs/playground.md says how to clear them). */
export const STORE_PREFIX = 'mashagrad.layout';
const INDEX_KEY = `${STORE_PREFIX}s`;
const ENTRY_PREFIX = `${STORE_PREFIX}.`;

export interface StoreLimits {
  /** At most this many layouts. */
  readonly entries: number;
  /** At most this many characters of DOT and SVG together (UTF-16: the browser counts two bytes each). */
  readonly characters: number;
}

/** 40 layouts, as the page keeps in memory; 1.5 M characters (~3 MB), well inside every browser's 5 MB. */
export const STORE_LIMITS: StoreLimits = { entries: 40, characters: 1_500_000 };

/** The index: the layout code's version and the slots, least recently used first, with their sizes. */
interface Index {
  readonly version: string;
  readonly slots: [slot: string, characters: number][];
}

export class LayoutStore {
  /**
   * @param storage where to keep them: a getter, since merely reading `localStorage` throws where
   *   the browser refuses storage.
   * @param checked what a stored SVG may be put on the page as, or undefined to refuse it
   *   (stored-svg.ts): storage is not only the page's, so what is read back is untrusted.
   */
  constructor(
    private readonly storage: () => Storage | undefined,
    private readonly version: string,
    private readonly checked: (svg: string) => string | undefined,
    private readonly limits: StoreLimits = STORE_LIMITS,
  ) {}

  /** The stored SVG for exactly this DOT text, as passed by the check, or undefined; an entry that fails the check is removed. */
  read(dot: string): string | undefined {
    return this.attempt((storage) => {
      const index = this.index(storage);
      const slot = slotOf(dot);
      const at = index.slots.findIndex(([stored]) => stored === slot);
      if (at < 0) return undefined;
      const entry = parseEntry(storage.getItem(ENTRY_PREFIX + slot));
      if (entry === undefined || entry.dot !== dot) return undefined;
      const svg = this.checked(entry.svg);
      if (svg === undefined) {
        // Removed first: an index that still lists it (the quota refused the rewrite) is only a miss.
        storage.removeItem(ENTRY_PREFIX + slot);
        index.slots.splice(at, 1);
        storage.setItem(INDEX_KEY, JSON.stringify(index));
        return undefined;
      }
      // Used again: it goes to the end of the line for eviction. Only bookkeeping: if the quota
      // refuses the new index, the entry is still good and is answered.
      index.slots.push(...index.slots.splice(at, 1));
      try {
        storage.setItem(INDEX_KEY, JSON.stringify(index));
      } catch {
        // The old order stays; this entry may go sooner than it would have.
      }
      return svg;
    });
  }

  /** Keeps the layout, making room by dropping the least recently used; too big to keep is not kept. */
  write(dot: string, svg: string): void {
    this.attempt((storage) => {
      const characters = dot.length + svg.length;
      if (characters > this.limits.characters) return;
      const slot = slotOf(dot);
      const index = this.index(storage);
      const slots = index.slots.filter(([stored]) => stored !== slot);
      let total = slots.reduce((sum, [, size]) => sum + size, 0);
      while (slots.length > 0 && (slots.length >= this.limits.entries || total + characters > this.limits.characters)) {
        const [dropped, size] = slots.shift()!;
        storage.removeItem(ENTRY_PREFIX + dropped);
        total -= size;
      }
      slots.push([slot, characters]);
      storage.setItem(INDEX_KEY, JSON.stringify({ version: this.version, slots } satisfies Index));
      // Entries the index does not list (another tab's write raced with ours) go too, so the bounds hold.
      removeEntries(storage, new Set(slots.map(([listed]) => ENTRY_PREFIX + listed)));
      // Written last: if the quota refuses it, the index lists a slot without an entry, which is only a miss.
      storage.setItem(ENTRY_PREFIX + slot, JSON.stringify([dot, svg]));
      return undefined;
    });
  }

  /** The index of this version; a missing or unreadable one, or another version's, starts again with every entry removed. */
  private index(storage: Storage): Index {
    const index = parseIndex(storage.getItem(INDEX_KEY));
    if (index !== undefined && index.version === this.version) return index;
    removeEntries(storage, new Set());
    const fresh: Index = { version: this.version, slots: [] };
    storage.setItem(INDEX_KEY, JSON.stringify(fresh));
    return fresh;
  }

  private attempt(use: (storage: Storage) => string | undefined): string | undefined {
    try {
      const storage = this.storage();
      return storage === undefined ? undefined : use(storage);
    } catch {
      // Quota, refusal, anything: a cache that fails is a cache that misses.
      return undefined;
    }
  }
}

/**
 * A slot for a DOT text: 53 bits of a fast string hash (cyrb53). Two texts in one slot only
 * replace each other, since a read compares the whole DOT text.
 */
export function slotOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let k = 0; k < text.length; k++) {
    const code = text.charCodeAt(k);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Removes every entry of this store but the ones kept. */
function removeEntries(storage: Storage, kept: ReadonlySet<string>): void {
  const removed: string[] = [];
  for (let k = 0; k < storage.length; k++) {
    const key = storage.key(k);
    if (key !== null && key.startsWith(ENTRY_PREFIX) && !kept.has(key)) removed.push(key);
  }
  for (const key of removed) storage.removeItem(key);
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function parseIndex(text: string | null): Index | undefined {
  const value = parseJson(text) as Partial<Index> | undefined;
  if (typeof value !== 'object' || value === null || typeof value.version !== 'string' || !Array.isArray(value.slots)) return undefined;
  const wellFormed = value.slots.every((slot: unknown) => Array.isArray(slot) && slot.length === 2 && typeof slot[0] === 'string' && Number.isFinite(slot[1]));
  return wellFormed ? { version: value.version, slots: value.slots } : undefined;
}

function parseEntry(text: string | null): { readonly dot: string; readonly svg: string } | undefined {
  const value = parseJson(text);
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [dot, svg] = value as unknown[];
  return typeof dot === 'string' && typeof svg === 'string' ? { dot, svg } : undefined;
}
