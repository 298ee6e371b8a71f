import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { HypersenderContact } from '../Hypersender/helpers/interfaces';

/**
 * What the Contact Trigger remembers between polls, kept small enough for n8n's workflow
 * static data (saved in the database with the workflow, so it survives restarts and is shared
 * by every n8n process): per contact 8 bytes of its ID's hash and 4 of its names' hash, 12
 * bytes stored as 16 base64 characters. The previous names themselves are kept only when
 * name changes are reported (they are what such an item shows).
 */

const RECORD_BYTES = 12;
export const STATE_VERSION = 1;

export interface StoredState extends IDataObject {
	version: number;
	count: number;
	/** The records, sorted by ID hash, base64. */
	contacts: string;
	/** With Include Name Changes: each contact's `[name, pushname]`, by ID. */
	names?: IDataObject;
}

/** One contact as remembered: its ID's hash (8 bytes, as a string key) and its names' hash. */
export type Remembered = Map<string, number>;

function digest(text: string): Buffer {
	return createHash('md5').update(text, 'utf8').digest();
}

export function idKey(id: string): string {
	return digest(id).toString('latin1', 0, 8);
}

function nameOf(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

export function namesHash(contact: HypersenderContact): number {
	return digest(`${nameOf(contact.name) ?? '\u0000'}\u0001${nameOf(contact.pushname) ?? '\u0000'}`).readUInt32BE(0);
}

/** The remembered contacts, or undefined before the first poll (or after a format change). */
export function decodeState(stored: unknown): Remembered | undefined {
	if (stored === null || typeof stored !== 'object') return undefined;
	const state = stored as Partial<StoredState>;
	if (state.version !== STATE_VERSION || typeof state.contacts !== 'string') return undefined;
	const bytes = Buffer.from(state.contacts, 'base64');
	if (bytes.length % RECORD_BYTES !== 0) return undefined;
	const remembered: Remembered = new Map();
	for (let offset = 0; offset < bytes.length; offset += RECORD_BYTES) {
		remembered.set(bytes.toString('latin1', offset, offset + 8), bytes.readUInt32BE(offset + 8));
	}
	return remembered;
}

export function encodeState(remembered: Remembered, names: IDataObject | undefined): StoredState {
	const keys = [...remembered.keys()].sort();
	const bytes = Buffer.alloc(keys.length * RECORD_BYTES);
	keys.forEach((key, index) => {
		bytes.write(key, index * RECORD_BYTES, 8, 'latin1');
		bytes.writeUInt32BE(remembered.get(key)!, index * RECORD_BYTES + 8);
	});
	const state: StoredState = { version: STATE_VERSION, count: keys.length, contacts: bytes.toString('base64') };
	if (names) state.names = names;
	return state;
}

export interface Change {
	contact: HypersenderContact;
	change: 'added' | 'renamed';
	previous?: { name: string | null; pushname: string | null } | null;
}

/**
 * Compares a complete read of the book with what was remembered. Contacts missing from this
 * read are kept: a list that came back short must not make them "new" again later.
 */
export function compare(
	contacts: HypersenderContact[],
	remembered: Remembered | undefined,
	options: { includeNameChanges: boolean; previousNames: IDataObject | undefined },
): { changes: Change[]; next: Remembered; names: IDataObject | undefined } {
	const next: Remembered = new Map(remembered ?? []);
	const changes: Change[] = [];
	const names: IDataObject | undefined = options.includeNameChanges ? { ...(options.previousNames ?? {}) } : undefined;
	for (const contact of contacts) {
		const key = idKey(contact.id);
		const hash = namesHash(contact);
		const before = remembered?.get(key);
		if (remembered && before === undefined) {
			changes.push({ contact, change: 'added' });
		} else if (remembered && options.includeNameChanges && before !== hash) {
			const old = options.previousNames?.[contact.id];
			const previous = Array.isArray(old) ? { name: nameOf(old[0]), pushname: nameOf(old[1]) } : null;
			changes.push({ contact, change: 'renamed', previous });
		}
		next.set(key, hash);
		if (names) names[contact.id] = [nameOf(contact.name), nameOf(contact.pushname)];
	}
	return { changes, next, names };
}
