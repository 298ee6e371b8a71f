/**
 * The Contact Trigger's address book as it is compared, in typed arrays: at a million contacts
 * a Map of 1,000,000 string keys (and a sort of them) cost seconds and hundreds of MB; these
 * arrays hold 13 bytes per contact, the read is put in hash order by a radix sort, and the
 * comparison is one pass over both sorted lists (a merge join).
 */

/** Reads in a row a remembered contact may be missing from before it is forgotten. */
export const FORGET_AFTER = 3;

/**
 * Contacts sorted by the 8 bytes of their ID's hash (high word, then low word), each with the
 * hash of its names and how many complete reads in a row it has been missing from. The arrays
 * may be longer than `size` (room reserved while building); only the first `size` count.
 */
export interface Book {
	size: number;
	idHigh: Uint32Array;
	idLow: Uint32Array;
	namesHash: Uint32Array;
	missed: Uint8Array;
	/**
	 * Read from a version-1 state, whose names hashes are md5's: this poll compares the read's
	 * md5 names hashes with them, and the next state holds the version-2 hashes.
	 */
	md5Names: boolean;
}

export function newBook(capacity: number, md5Names = false): Book {
	return {
		size: 0,
		idHigh: new Uint32Array(capacity),
		idLow: new Uint32Array(capacity),
		namesHash: new Uint32Array(capacity),
		missed: new Uint8Array(capacity),
		md5Names,
	};
}

/** One read, hashed: per contact (in read order) its ID hash and names hash. */
export interface HashedRead {
	size: number;
	idHigh: Uint32Array;
	idLow: Uint32Array;
	namesHash: Uint32Array;
	/** The names hashed as version 1 did, when the remembered book came from a version-1 state. */
	md5NamesHash: Uint32Array | undefined;
}

export const ADDED = 1;
export const RENAMED = 2;

export interface Merged {
	next: Book;
	/** Per read contact: ADDED, RENAMED (only when renames are reported) or 0; undefined on a first poll. */
	kinds: Uint8Array | undefined;
	/** Whether the next book differs from the remembered one (so the state must be written). */
	changed: boolean;
	/** Contacts forgotten by this read (whose names, when kept by ID, go too). */
	forgotten: number;
}

/** -1, 0 or 1 as the 64-bit hash (aHigh, aLow) is below, equal to or above (bHigh, bLow). */
function order64(aHigh: number, aLow: number, bHigh: number, bLow: number): number {
	if (aHigh !== bHigh) return aHigh < bHigh ? -1 : 1;
	if (aLow !== bLow) return aLow < bLow ? -1 : 1;
	return 0;
}

/**
 * The read's indexes in ID-hash order: an LSD radix sort on the 64-bit hash, 16 bits a pass,
 * four passes over typed arrays (a comparison sort of 1,000,000 keys makes some 20,000,000
 * calls). Stable: of two reads of one contact (pages that overlapped) the first comes first.
 */
export function sortedOrder(high: Uint32Array, low: Uint32Array, size: number): Uint32Array {
	let order = new Uint32Array(size);
	for (let index = 0; index < size; index++) order[index] = index;
	let spare = new Uint32Array(size);
	const starts = new Uint32Array(0x10000);
	const passes: Array<[Uint32Array, number]> = [
		[low, 0],
		[low, 16],
		[high, 0],
		[high, 16],
	];
	for (const [keys, shift] of passes) {
		starts.fill(0);
		for (let at = 0; at < size; at++) starts[(keys[order[at]] >>> shift) & 0xffff]++;
		let total = 0;
		for (let digit = 0; digit < 0x10000; digit++) {
			const count = starts[digit];
			starts[digit] = total;
			total += count;
		}
		for (let at = 0; at < size; at++) {
			const index = order[at];
			spare[starts[(keys[index] >>> shift) & 0xffff]++] = index;
		}
		[order, spare] = [spare, order];
	}
	return order;
}

/**
 * The next book from the remembered one (undefined on a first poll) and a complete read, in one
 * pass over both in hash order. A remembered contact the read has is kept with its new names
 * hash (RENAMED when that changed and renames are reported); one the read lacks counts one more
 * miss and is forgotten at FORGET_AFTER; one only the read has is ADDED.
 */
export function mergeRead(read: HashedRead, order: Uint32Array, remembered: Book | undefined, reportRenames: boolean): Merged {
	const before = remembered ?? newBook(0);
	const next = newBook(before.size + read.size);
	const kinds = remembered ? new Uint8Array(read.size) : undefined;
	// A first poll, and a version-1 state (rewritten with version-2 names hashes), always change.
	let changed = remembered === undefined || before.md5Names;
	let forgotten = 0;
	let size = 0;
	const keep = (high: number, low: number, namesHash: number, missed: number) => {
		next.idHigh[size] = high;
		next.idLow[size] = low;
		next.namesHash[size] = namesHash;
		next.missed[size] = missed;
		size++;
	};
	let r = 0;
	let c = 0;
	// Hashes are unsigned, so -1 matches none: the last read contact kept, to skip a second read of it.
	let lastHigh = -1;
	let lastLow = -1;
	while (r < before.size || c < read.size) {
		const index = c < read.size ? order[c] : -1;
		const high = index < 0 ? 0 : read.idHigh[index];
		const low = index < 0 ? 0 : read.idLow[index];
		if (index >= 0 && high === lastHigh && low === lastLow) {
			c++;
			continue;
		}
		// < 0: the remembered contact is missing from the read; 0: both have it; > 0: it is new.
		const side = index < 0 ? -1 : r >= before.size ? 1 : order64(before.idHigh[r], before.idLow[r], high, low);
		if (side < 0) {
			const misses = before.missed[r] + 1;
			changed = true;
			if (misses < FORGET_AFTER) keep(before.idHigh[r], before.idLow[r], before.namesHash[r], misses);
			else forgotten++;
			r++;
			continue;
		}
		keep(high, low, read.namesHash[index], 0);
		if (side === 0) {
			const namesNow = before.md5Names ? read.md5NamesHash![index] : read.namesHash[index];
			if (before.namesHash[r] !== namesNow) {
				changed = true;
				if (reportRenames) kinds![index] = RENAMED;
			}
			if (before.missed[r] !== 0) changed = true;
			r++;
		} else {
			changed = true;
			if (kinds) kinds[index] = ADDED;
		}
		lastHigh = high;
		lastLow = low;
		c++;
	}
	next.size = size;
	return { next, kinds, changed, forgotten };
}

/** Whether the book holds the ID hash (high, low): a binary search. */
export function holds(book: Book, high: number, low: number): boolean {
	let from = 0;
	let to = book.size;
	while (from < to) {
		const middle = (from + to) >>> 1;
		const side = order64(book.idHigh[middle], book.idLow[middle], high, low);
		if (side === 0) return true;
		if (side < 0) from = middle + 1;
		else to = middle;
	}
	return false;
}
