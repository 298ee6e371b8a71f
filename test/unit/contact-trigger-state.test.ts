/**
 * The Contact Trigger's memory (nodes/HypersenderContactTrigger/state.ts) against a plain model
 * of its rules, written here from the rules, not from the code: a Map of every remembered ID
 * with its names and the complete reads in a row it has been missing from.
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { HypersenderContact } from '../../nodes/Hypersender/helpers/interfaces';
import { sortedOrder } from '../../nodes/HypersenderContactTrigger/book';
import type { Remembered } from '../../nodes/HypersenderContactTrigger/state';
import { compare, decodeState, encodeState, FORGET_AFTER, STATE_VERSION } from '../../nodes/HypersenderContactTrigger/state';

/** The rules: added = not remembered; renamed = other names; forgotten after FORGET_AFTER misses; an empty read counts for nothing. */
class Model {
	readonly remembered = new Map<string, { names: [string | null, string | null]; misses: number }>();
	private first = true;

	poll(contacts: HypersenderContact[]) {
		const added: string[] = [];
		const renamed: Array<{ id: string; previous: [string | null, string | null] }> = [];
		let changed = this.first;
		if (!this.first && contacts.length === 0 && this.remembered.size > 0) return { added, renamed, changed: false };
		const seen = new Set<string>();
		for (const contact of contacts) {
			if (seen.has(contact.id)) continue;
			seen.add(contact.id);
			const names: [string | null, string | null] = [contact.name ?? null, contact.pushname ?? null];
			const before = this.remembered.get(contact.id);
			if (!before) {
				if (!this.first) added.push(contact.id);
				changed = true;
			} else {
				if (before.names[0] !== names[0] || before.names[1] !== names[1]) {
					renamed.push({ id: contact.id, previous: before.names });
					changed = true;
				}
				if (before.misses > 0) changed = true;
			}
			this.remembered.set(contact.id, { names, misses: 0 });
		}
		for (const [id, entry] of this.remembered) {
			if (seen.has(id)) continue;
			changed = true;
			entry.misses++;
			if (entry.misses >= FORGET_AFTER) this.remembered.delete(id);
		}
		this.first = false;
		return { added, renamed, changed };
	}
}

/** The node's side: the state kept as n8n keeps it (JSON), written only when `changed`. */
class Trigger {
	stored: IDataObject | undefined;
	writes = 0;

	poll(contacts: HypersenderContact[], includeNameChanges: boolean) {
		const stored = this.stored ? (JSON.parse(JSON.stringify(this.stored)) as IDataObject) : undefined;
		const result = compare(contacts, decodeState(stored), { includeNameChanges, previousNames: stored?.names as IDataObject | undefined, namesInPlace: true });
		if (result.changed) {
			this.stored = encodeState(result.next, result.names);
			this.writes++;
		}
		return result;
	}
}

const contact = (index: number, version = 0): HypersenderContact => ({
	id: index % 4 === 0 ? `1${String(index).padStart(14, '0')}@lid` : `49151${String(index).padStart(8, '0')}@c.us`,
	name: index % 3 === 0 ? null : `Person ${index}${version ? ` v${version}` : ''}`,
	pushname: index % 5 === 0 ? `P${index}` : null,
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, offset) => contact(from + offset));

test(`a contact missing from ${FORGET_AFTER} complete reads in a row is forgotten, so it is "added" again; one back sooner is not`, () => {
	const trigger = new Trigger();
	const book = range(0, 10);
	trigger.poll(book, false);
	const without = (...indexes: number[]) => book.filter((_, index) => !indexes.includes(index));
	// Contact 3 is away for FORGET_AFTER - 1 reads, contact 7 for FORGET_AFTER.
	for (let read = 1; read < FORGET_AFTER; read++) expect(trigger.poll(without(3, 7), false).changes).toEqual([]);
	expect(trigger.poll(without(7), false).changes).toEqual([]);
	expect(decodeState(trigger.stored)?.size).toBe(9);
	const back = trigger.poll(book, false);
	expect(back.changes.map((change) => [change.change, change.contact.id])).toEqual([['added', book[7].id]]);
	expect(decodeState(trigger.stored)?.size).toBe(10);
});

test('the state is written only when it changed: not for a read of the same book, with or without names', () => {
	for (const includeNameChanges of [false, true]) {
		const trigger = new Trigger();
		const book = range(0, 50);
		expect(trigger.poll(book, includeNameChanges).changed).toBe(true);
		const written = JSON.stringify(trigger.stored);
		// The same contacts in another order, one of them read twice (pages that overlapped).
		const reread = [...book].reverse();
		reread.splice(10, 0, book[20]);
		const again = trigger.poll(reread, includeNameChanges);
		expect(again).toMatchObject({ changed: false, changes: [] });
		expect(trigger.writes).toBe(1);
		expect(JSON.stringify(trigger.stored)).toBe(written);
		// A short read ages the missing contacts, and their return resets them: both are written.
		expect(trigger.poll(book.slice(0, 40), includeNameChanges)).toMatchObject({ changed: true, changes: [] });
		expect(trigger.poll(book, includeNameChanges)).toMatchObject({ changed: true, changes: [] });
		expect(JSON.stringify(trigger.stored)).toBe(written);
		expect(trigger.poll(book, includeNameChanges).changed).toBe(false);
		// A new contact is written, and reported once even when read twice.
		const added = trigger.poll([...book, contact(99), contact(99)], includeNameChanges);
		expect(added.changed).toBe(true);
		expect(trigger.writes).toBe(4);
		expect(added.changes.map((change) => change.contact.id)).toEqual([contact(99).id]);
	}
});

test('an empty read while contacts are remembered changes nothing, however often', () => {
	const trigger = new Trigger();
	trigger.poll(range(0, 20), true);
	const stored = JSON.stringify(trigger.stored);
	for (let read = 0; read <= FORGET_AFTER; read++) expect(trigger.poll([], true)).toMatchObject({ changed: false, changes: [] });
	expect(JSON.stringify(trigger.stored)).toBe(stored);
	expect(trigger.poll(range(0, 20), true).changes).toEqual([]);
});

test('the read is put in 64-bit hash order, ties on the high word broken by the low word, stable', () => {
	const random = generator(64);
	const size = 5000;
	// High words from 40 values only, low words from 3 of them: many ties on both.
	const high = Uint32Array.from({ length: size }, () => (Math.floor(random() * 40) * 0x06000001) >>> 0);
	const low = Uint32Array.from({ length: size }, () => [0, 0x0000ffff, 0xffff0000][Math.floor(random() * 3)]);
	const expected = Array.from({ length: size }, (_, index) => index).sort((a, b) => high[a] - high[b] || low[a] - low[b] || a - b);
	expect([...sortedOrder(high, low, size)]).toEqual(expected);
});

/** A version-1 state as the trigger wrote it before: md5(id)[0..8] + md5(names)[0..4], sorted, base64; names by ID. */
function versionOneState(contacts: HypersenderContact[], withNames: boolean): IDataObject {
	const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest();
	const records = contacts
		.map((c) => Buffer.concat([md5(c.id).subarray(0, 8), md5(`${c.name ?? '\u0000'}\u0001${c.pushname ?? '\u0000'}`).subarray(0, 4)]))
		.sort(Buffer.compare);
	const state: IDataObject = { version: 1, count: records.length, contacts: Buffer.concat(records).toString('base64') };
	if (withNames) state.names = Object.fromEntries(contacts.map((c) => [c.id, [c.name ?? null, c.pushname ?? null]]));
	return state;
}

test('a version-1 state is read: nothing is "added", renames since are reported, and it is rewritten as version 2', () => {
	const book = range(0, 300);
	for (const includeNameChanges of [false, true]) {
		const trigger = new Trigger();
		trigger.stored = versionOneState(book, includeNameChanges);
		const now = book.map((c, index) => (index === 42 ? { ...c, name: 'Someone Else' } : c));
		const upgrade = trigger.poll([...now, contact(1000)], includeNameChanges);
		const expected = [...(includeNameChanges ? [['renamed', book[42].id, book[42].name]] : []), ['added', contact(1000).id, undefined]];
		expect(upgrade.changes.map((change) => [change.change, change.contact.id, change.previous?.name])).toEqual(expected);
		expect(upgrade.changed).toBe(true);
		expect(trigger.stored).toMatchObject({ version: STATE_VERSION, count: 301 });
		expect(trigger.poll([...now, contact(1000)], includeNameChanges)).toMatchObject({ changed: false, changes: [] });
	}
	// Unchanged but version 1: rewritten once, then left alone.
	const trigger = new Trigger();
	trigger.stored = versionOneState(book, false);
	expect(trigger.poll(book, false)).toMatchObject({ changed: true, changes: [] });
	expect(trigger.poll(book, false).changed).toBe(false);
});

test('a state that is not ours counts as none: records out of order, misses that do not fit', () => {
	const trigger = new Trigger();
	trigger.poll(range(0, 10), false);
	trigger.poll(range(0, 9), false);
	const state = trigger.stored as { contacts: string; missed: string };
	expect(decodeState(state)?.size).toBe(10);
	const bytes = Buffer.from(state.contacts, 'base64');
	const swapped = Buffer.concat([bytes.subarray(12, 24), bytes.subarray(0, 12), bytes.subarray(24)]);
	expect(decodeState({ ...state, contacts: swapped.toString('base64') })).toBeUndefined();
	expect(decodeState({ ...state, missed: Buffer.from([0, 0, 0, 10, 1]).toString('base64') })).toBeUndefined();
	expect(decodeState({ ...state, missed: Buffer.from([0, 0, 0, 1, FORGET_AFTER]).toString('base64') })).toBeUndefined();
	expect(decodeState({ ...state, missed: 'AAAA' })).toBeUndefined();
});

test('names: a manual test changes nothing in them; a poll updates them in place, dropping forgotten contacts\' and keeping missing ones\'', () => {
	const book = range(0, 8);
	const first = compare(book, undefined, { includeNameChanges: true, previousNames: undefined });
	const stored = JSON.parse(JSON.stringify(encodeState(first.next, first.names))) as IDataObject;
	const names = stored.names as IDataObject;
	const before = JSON.stringify(names);
	const renamed = book.map((c, index) => (index === 1 ? { ...c, name: 'New' } : c)).filter((_, index) => index !== 5);
	const manual = compare(renamed, decodeState(stored), { includeNameChanges: true, previousNames: names });
	expect(JSON.stringify(names)).toBe(before);
	expect(manual.names).not.toBe(names);
	const poll = compare(renamed, decodeState(stored), { includeNameChanges: true, previousNames: names, namesInPlace: true });
	expect(poll.names).toBe(names);
	expect(names[book[1].id]).toEqual(['New', book[1].pushname ?? null]);
	expect(names[book[5].id]).toEqual([book[5].name ?? null, book[5].pushname ?? null]);
	let remembered: Remembered | undefined = poll.next;
	let current: IDataObject | undefined = poll.names;
	for (let read = 1; read < FORGET_AFTER; read++) {
		const next = compare(renamed, remembered, { includeNameChanges: true, previousNames: current, namesInPlace: true });
		remembered = next.next;
		current = next.names;
	}
	expect(Object.keys(current!).sort()).toEqual(renamed.map((c) => c.id).sort());
});

/** A small deterministic generator, so a failure can be replayed. */
function generator(seed: number) {
	let state = seed;
	return () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/**
 * Twelve polls: what each reads (all, the first part of the book, pages that overlapped, nothing)
 * and whether the book changes after it (contacts deleted, added, renamed at random).
 */
const SCHEDULE: Array<{ read: 'all' | 'overlap' | 'empty' | number; thenChange: boolean }> = [
	{ read: 'all', thenChange: true },
	{ read: 'all', thenChange: false },
	{ read: 0.9, thenChange: false },
	{ read: 'all', thenChange: false }, // only the misses reset
	{ read: 'overlap', thenChange: true }, // the same book, one page read twice: nothing to write
	{ read: 0.8, thenChange: false },
	{ read: 0.8, thenChange: false },
	{ read: 0.8, thenChange: false }, // the last fifth forgotten
	{ read: 'all', thenChange: false }, // and added again
	{ read: 'empty', thenChange: true }, // counts for nothing
	{ read: 'all', thenChange: false },
	{ read: 'all', thenChange: true },
];

test('20,000 contacts over 12 polls of random changes: the same changes and writes as the model', () => {
	const random = generator(2222);
	const versions = new Map<number, number>();
	const indexOf = (c: HypersenderContact) => Number(c.id.endsWith('@lid') ? c.id.slice(1, 15) : c.id.slice(5, 13));
	for (const includeNameChanges of [false, true]) {
		let book = range(0, 20_000);
		let nextIndex = 20_000;
		const model = new Model();
		const trigger = new Trigger();
		const changedPolls: number[] = [];
		for (const [poll, { read: reads, thenChange }] of SCHEDULE.entries()) {
			const read =
				reads === 'all' ? book : reads === 'empty' ? [] : reads === 'overlap' ? [...book.slice(0, 5_000), ...book.slice(4_000)] : book.slice(0, Math.floor(book.length * reads));
			const expected = model.poll(read);
			const result = trigger.poll(read, includeNameChanges);
			expect(result.changes.filter((c) => c.change === 'added').map((c) => c.contact.id)).toEqual(expected.added);
			const renamed = result.changes.filter((c) => c.change === 'renamed');
			expect(renamed.map((c) => [c.contact.id, c.previous?.name ?? null, c.previous?.pushname ?? null])).toEqual(
				includeNameChanges ? expected.renamed.map((r) => [r.id, ...r.previous]) : [],
			);
			expect(result.changed).toBe(expected.changed);
			if (expected.changed) changedPolls.push(poll);
			expect(decodeState(trigger.stored)?.size).toBe(model.remembered.size);
			if (includeNameChanges) expect(Object.keys(trigger.stored!.names as IDataObject).length).toBe(model.remembered.size);
			if (!thenChange) continue;
			book = book.filter(() => random() > 0.01);
			for (let added = 0; added < 150; added++) book.push(contact(nextIndex++));
			book = book.map((c) => {
				if (random() > 0.005) return c;
				const index = indexOf(c);
				versions.set(index, (versions.get(index) ?? 0) + 1);
				return contact(index, versions.get(index));
			});
		}
		expect(trigger.writes).toBe(changedPolls.length);
		// Unchanged: the overlapping read and the empty one (poll 11 still ages the contacts deleted after poll 9).
		expect(changedPolls).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 10, 11]);
	}
});
