/** generateContacts: seeded contact lists, and the phone numbers hidden behind some LIDs. */
import { linkedPhone } from '../../sandbox/contacts';
import { generateContacts, sortContacts } from '../../sandbox/server';
import type { Contact } from './helpers';

describe('generateContacts', () => {
	test('gives the same list for the same seed and another for another seed', () => {
		expect(generateContacts(300, 5)).toEqual(generateContacts(300, 5));
		expect(generateContacts(300, 6)).not.toEqual(generateContacts(300, 5));
	});

	test('has every id kind, missing and empty names, many scripts and duplicates even in 50 contacts', () => {
		const list: Contact[] = generateContacts(50, 123);
		const ids = list.map((contact) => contact.id);
		const names = list.map((contact) => contact.name);
		expect(new Set(ids).size).toBe(50);
		expect(ids.some((id) => /^[1-9]\d{9,14}@c\.us$/.test(id))).toBe(true);
		expect(ids.some((id) => /^[1-9]\d{9,14}@s\.whatsapp\.net$/.test(id))).toBe(true);
		expect(ids.some((id) => /^[1-9]\d{13,14}@lid$/.test(id))).toBe(true);
		expect(ids.some((id) => /^\d{18}@g\.us$/.test(id))).toBe(true);
		expect(ids.some((id) => /^\d+-\d{10}@g\.us$/.test(id))).toBe(true);
		expect(list.some((contact) => !('name' in contact))).toBe(true);
		expect(list.some((contact) => !('pushname' in contact))).toBe(true);
		expect(names).toContain('');
		for (const script of [/\p{Script=Arabic}/u, /\p{Script=Cyrillic}/u, /\p{Script=Han}/u, /\p{Script=Devanagari}/u, /\p{Script=Hiragana}/u, /\p{Extended_Pictographic}/u, /[éëÁ]/]) {
			expect(names.some((name) => name !== undefined && script.test(name))).toBe(true);
		}
		const named = names.filter((name) => name);
		expect(new Set(named).size).toBeLessThan(named.length);
		for (const contact of list) expect(Object.keys(contact).every((key) => ['id', 'name', 'pushname'].includes(key))).toBe(true);
	});

	test('mixes id kinds in realistic proportions', () => {
		const list: Contact[] = generateContacts(10_000, 9);
		const share = (suffix: string) => list.filter((contact) => contact.id.endsWith(suffix)).length / list.length;
		expect(share('@c.us')).toBeCloseTo(0.65, 1);
		expect(share('@s.whatsapp.net')).toBeCloseTo(0.05, 1);
		expect(share('@lid')).toBeCloseTo(0.2, 1);
		expect(share('@g.us')).toBeCloseTo(0.1, 1);
	});

	test('sortContacts leaves its input untouched', () => {
		const list = generateContacts(40, 1);
		const copy = list.slice();
		sortContacts(list, 'id', 'desc');
		expect(list).toEqual(copy);
	});
});

describe('linked phones', () => {
	test('link a phone number to about half the @lid contacts and to nothing else', () => {
		const list: Contact[] = generateContacts(5000, 3);
		const lids = list.filter((contact) => contact.id.endsWith('@lid'));
		const linked = lids.filter((contact) => linkedPhone(contact) !== undefined);
		expect(linked.length / lids.length).toBeCloseTo(0.5, 1);
		expect(list.filter((contact) => !contact.id.endsWith('@lid')).every((contact) => linkedPhone(contact) === undefined)).toBe(true);
		for (const contact of linked) expect(linkedPhone(contact)).toMatch(/^[1-9]\d{9,14}$/);
	});

	test('exist even in a list of 20, next to a @lid contact without one', () => {
		const lids = generateContacts(20, 77).filter((contact) => contact.id.endsWith('@lid'));
		expect(lids.some((contact) => linkedPhone(contact) !== undefined)).toBe(true);
		expect(lids.some((contact) => linkedPhone(contact) === undefined)).toBe(true);
	});

	test('are the same for the same seed', () => {
		const phones = (seed: number) => generateContacts(500, seed).map((contact) => linkedPhone(contact) ?? null);
		expect(phones(8)).toEqual(phones(8));
		expect(phones(9)).not.toEqual(phones(8));
	});

	test('never equal a phone number that has a contact of its own', () => {
		const list = generateContacts(5000, 4);
		const numbers = new Set(list.filter((contact) => !contact.id.endsWith('@lid')).map((contact) => contact.id.split('@')[0]));
		const phones = list.map((contact) => linkedPhone(contact)).filter((phone) => phone !== undefined);
		expect(phones.some((phone) => numbers.has(phone))).toBe(false);
		expect(new Set(phones).size).toBe(phones.length);
	});

	test('stay out of the contact objects and their JSON', () => {
		const list = generateContacts(50, 42);
		const lid = list.find((contact) => linkedPhone(contact) !== undefined) as Contact;
		expect(JSON.stringify(list)).not.toContain(linkedPhone(lid));
		expect(Object.getOwnPropertyNames(lid).sort()).toEqual(Object.keys(lid).sort());
	});
});
