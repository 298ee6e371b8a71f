import { createHash, hash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { HypersenderContact } from '../Hypersender/helpers/interfaces';
import type { Book, HashedRead, Merged } from './book';
import { ADDED, FORGET_AFTER, holds, mergeRead, newBook, RENAMED, sortedOrder } from './book';

/**
 * What the Contact Trigger remembers between polls, kept small enough for n8n's workflow
 * static data (saved in the database with the workflow, so it survives restarts and is shared
 * by every n8n process): per contact 8 bytes of its ID's md5 and 4 of its names' hash, 12
 * bytes stored as 16 base64 characters, sorted by ID hash; and, for the contacts missing from
 * the last reads only, how many reads in a row they were missing from. The previous names
 * themselves are kept only when name changes are reported (they are what such an item shows).
 *
 * The rule for forgetting: a contact missing from FORGET_AFTER (3) complete reads in a row is
 * forgotten, so one deleted and added again after that is "added" again; one that is back
 * sooner (a read that came back short) was still remembered and is not. A read that failed is
 * not a complete read and changes nothing (poll() throws before comparing); neither does a read
 * of no contacts at all while some are remembered, the one short read that would otherwise
 * make the whole book "added" again three polls later. (n8n 2.41 writes static data to its
 * database after a poll that outputs items; an active workflow keeps it in memory until then,
 * so after a restart the misses counted since are counted again: a contact can be forgotten
 * later than that, never sooner.)
 *
 * Version 1 had the same records with an md5 names hash and no misses; it is still read (see
 * Book.md5Names), so an upgrade reports nothing as added or renamed that was not.
 */

export { FORGET_AFTER };

const RECORD_BYTES = 12;
/** A `missed` entry: the record's index (4 bytes) and the reads in a row it was missing from (1). */
const MISSED_BYTES = 5;
export const STATE_VERSION = 2;

export interface StoredState extends IDataObject {
	version: number;
	count: number;
	/** The records, sorted by ID hash, base64. */
	contacts: string;
	/** The records missing from the last reads (5 bytes each, base64); absent when there are none. */
	missed?: string;
	/** With Include Name Changes: each contact's `[name, pushname]`, by ID. */
	names?: IDataObject;
}

/** The remembered contacts (`size` of them), sorted by ID hash. */
export type Remembered = Book;

/**
 * md5 as 16 "binary" (latin1) characters, one per byte. `hash` is the one-shot form (Node 20.12 and
 * later), several times faster per call than createHash, which matters a million times a poll.
 */
const md5: (text: string) => string =
	typeof hash === 'function' ? (text) => hash('md5', text, 'binary') : (text) => createHash('md5').update(text, 'utf8').digest('binary');

function word(bytes: string, at: number): number {
	return ((bytes.charCodeAt(at) << 24) | (bytes.charCodeAt(at + 1) << 16) | (bytes.charCodeAt(at + 2) << 8) | bytes.charCodeAt(at + 3)) >>> 0;
}

function nameOf(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

/** Version 1's names hash: the first 4 bytes of md5 of "name\u0001pushname" (a missing name as \u0000). */
function md5NamesHash(contact: HypersenderContact): number {
	return word(md5(`${nameOf(contact.name) ?? '\u0000'}\u0001${nameOf(contact.pushname) ?? '\u0000'}`), 0);
}

function fold(seed: number, text: string | null): number {
	let value = seed;
	if (text === null) return Math.imul(value, 0x01000193);
	for (let at = 0; at < text.length; at++) value = Math.imul(value ^ text.charCodeAt(at), 0x01000193);
	return value;
}

/**
 * The names hash: FNV-1a over the names' UTF-16 units (null and "" differ), then murmur3's
 * final mix. A clash only hides one rename, so it need not be md5, which costs 10 times more.
 */
export function namesHash(contact: HypersenderContact): number {
	let value = fold(0x811c9dc5, nameOf(contact.name));
	value = fold(Math.imul(value ^ 1, 0x01000193), nameOf(contact.pushname));
	value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
	value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
	return (value ^ (value >>> 16)) >>> 0;
}

function hashRead(contacts: HypersenderContact[], withMd5Names: boolean): HashedRead {
	const size = contacts.length;
	const read: HashedRead = {
		size,
		idHigh: new Uint32Array(size),
		idLow: new Uint32Array(size),
		namesHash: new Uint32Array(size),
		md5NamesHash: withMd5Names ? new Uint32Array(size) : undefined,
	};
	for (let index = 0; index < size; index++) {
		const contact = contacts[index];
		const id = md5(contact.id);
		read.idHigh[index] = word(id, 0);
		read.idLow[index] = word(id, 4);
		read.namesHash[index] = namesHash(contact);
		if (read.md5NamesHash) read.md5NamesHash[index] = md5NamesHash(contact);
	}
	return read;
}

/** Fills `book.missed` from a version-2 state's `missed`; false when it does not fit the records. */
function readMissed(missed: unknown, book: Book): boolean {
	if (missed === undefined) return true;
	if (typeof missed !== 'string') return false;
	const bytes = Buffer.from(missed, 'base64');
	if (bytes.length % MISSED_BYTES !== 0) return false;
	for (let at = 0; at < bytes.length; at += MISSED_BYTES) {
		const index = bytes.readUInt32BE(at);
		const misses = bytes[at + 4];
		if (index >= book.size || misses === 0 || misses >= FORGET_AFTER) return false;
		book.missed[index] = misses;
	}
	return true;
}

/** The remembered contacts, or undefined before the first poll (or after an unreadable state). */
export function decodeState(stored: unknown): Remembered | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const state = stored as Partial<StoredState>;
	if ((state.version !== 1 && state.version !== STATE_VERSION) || typeof state.contacts !== 'string') return undefined;
	// Straight from base64 into the typed arrays: no string per contact.
	const bytes = Buffer.from(state.contacts, 'base64');
	if (bytes.length % RECORD_BYTES !== 0) return undefined;
	const book = newBook(bytes.length / RECORD_BYTES, state.version === 1);
	for (let index = 0, at = 0; at < bytes.length; index++, at += RECORD_BYTES) {
		const high = bytes.readUInt32BE(at);
		const low = bytes.readUInt32BE(at + 4);
		// The merge join needs strictly increasing hashes; a state that has not is not ours.
		if (index > 0 && (high < book.idHigh[index - 1] || (high === book.idHigh[index - 1] && low <= book.idLow[index - 1]))) return undefined;
		book.idHigh[index] = high;
		book.idLow[index] = low;
		book.namesHash[index] = bytes.readUInt32BE(at + 8);
	}
	book.size = bytes.length / RECORD_BYTES;
	if (state.version === STATE_VERSION && !readMissed(state.missed, book)) return undefined;
	return book;
}

export function encodeState(remembered: Remembered, names: IDataObject | undefined): StoredState {
	const { size } = remembered;
	const bytes = Buffer.allocUnsafe(size * RECORD_BYTES);
	let missing = 0;
	for (let index = 0, at = 0; index < size; index++, at += RECORD_BYTES) {
		bytes.writeUInt32BE(remembered.idHigh[index], at);
		bytes.writeUInt32BE(remembered.idLow[index], at + 4);
		bytes.writeUInt32BE(remembered.namesHash[index], at + 8);
		if (remembered.missed[index] !== 0) missing++;
	}
	const state: StoredState = { version: STATE_VERSION, count: size, contacts: bytes.toString('base64') };
	if (missing > 0) {
		const entries = Buffer.allocUnsafe(missing * MISSED_BYTES);
		for (let index = 0, at = 0; index < size; index++) {
			if (remembered.missed[index] === 0) continue;
			entries.writeUInt32BE(index, at);
			entries[at + 4] = remembered.missed[index];
			at += MISSED_BYTES;
		}
		state.missed = entries.toString('base64');
	}
	if (names) state.names = names;
	return state;
}

export interface Change {
	contact: HypersenderContact;
	change: 'added' | 'renamed';
	previous?: { name: string | null; pushname: string | null } | null;
}

export interface Comparison {
	/** In read order. */
	changes: Change[];
	next: Remembered;
	names: IDataObject | undefined;
	/** Whether the state to store differs from the one stored: only then is it written. */
	changed: boolean;
}

/**
 * The names kept by ID for the next state: those of contacts added or renamed by this read
 * (or not in the stored names yet) set, those of forgotten contacts deleted, the rest as
 * stored. `inPlace` updates the stored object itself, for a poll that stores the result
 * (copying a million names every poll cost more than the rest of the comparison); otherwise a
 * copy, so that a manual test in the editor changes nothing.
 */
function nextNames(
	contacts: HypersenderContact[],
	merged: Merged,
	previousNames: IDataObject | undefined,
	inPlace: boolean,
): { names: IDataObject; changed: boolean } {
	// After a state that could not be read, the stored names are not trusted either.
	const fresh = previousNames === undefined || merged.kinds === undefined;
	const names: IDataObject = fresh ? {} : inPlace ? previousNames : { ...previousNames };
	let changed = fresh;
	for (let index = 0; index < contacts.length; index++) {
		const contact = contacts[index];
		if (!merged.kinds?.[index] && Object.hasOwn(names, contact.id)) continue;
		names[contact.id] = [nameOf(contact.name), nameOf(contact.pushname)];
		changed = true;
	}
	// Only the IDs tell which names were a forgotten contact's: hash them, on polls that forgot one.
	if (merged.forgotten > 0 && !fresh) {
		for (const id of Object.keys(names)) {
			const hashed = md5(id);
			if (holds(merged.next, word(hashed, 0), word(hashed, 4))) continue;
			delete names[id];
			changed = true;
		}
	}
	return { names, changed };
}

/**
 * Compares a complete read of the book with what was remembered (see the rule for forgetting
 * above). `changed` says whether the next state differs from the stored one. With
 * `namesInPlace`, `previousNames` is updated into the next names (see nextNames).
 */
export function compare(
	contacts: HypersenderContact[],
	remembered: Remembered | undefined,
	options: { includeNameChanges: boolean; previousNames: IDataObject | undefined; namesInPlace?: boolean },
): Comparison {
	const { includeNameChanges } = options;
	const stored = options.previousNames;
	const previousNames = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored : undefined;
	if (remembered && remembered.size > 0 && contacts.length === 0) {
		return { changes: [], next: remembered, names: includeNameChanges ? previousNames : undefined, changed: false };
	}
	const read = hashRead(contacts, remembered?.md5Names === true);
	const merged = mergeRead(read, sortedOrder(read.idHigh, read.idLow, read.size), remembered, includeNameChanges);
	const changes: Change[] = [];
	const kinds = merged.kinds;
	for (let index = 0; kinds && index < kinds.length; index++) {
		if (kinds[index] === ADDED) changes.push({ contact: contacts[index], change: 'added' });
		else if (kinds[index] === RENAMED) {
			const contact = contacts[index];
			const old = previousNames?.[contact.id];
			const previous = Array.isArray(old) ? { name: nameOf(old[0]), pushname: nameOf(old[1]) } : null;
			changes.push({ contact, change: 'renamed', previous });
		}
	}
	if (!includeNameChanges) {
		return { changes, next: merged.next, names: undefined, changed: merged.changed || previousNames !== undefined };
	}
	const names = nextNames(contacts, merged, previousNames, options.namesInPlace === true);
	return { changes, next: merged.next, names: names.names, changed: merged.changed || names.changed };
}
