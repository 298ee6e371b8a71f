import {
	contactKind,
	displayName,
	foldForSearch,
	matchesFilter,
	phoneNumber,
	addDerivedFields,
} from '../../nodes/Hypersender/domain/contactFields';

describe('contactKind', () => {
	test.each([
		['4915123456789@c.us', 'phone'],
		['4915123456789@s.whatsapp.net', 'phone'],
		['4915123456789:12@s.whatsapp.net', 'phone'],
		['100875997589545@lid', 'lid'],
		['120363041234567890@g.us', 'group'],
		['4915123456789-1612345678@g.us', 'group'],
		['status@broadcast', 'other'],
		['4915123456789@C.US', 'phone'],
		['no-server', 'other'],
	])('%s is a %s', (id, kind) => {
		expect(contactKind(id)).toBe(kind);
	});
});

describe('phoneNumber', () => {
	test.each([
		['4915123456789@c.us', '+4915123456789'],
		['201001234567@s.whatsapp.net', '+201001234567'],
		['4915123456789:12@s.whatsapp.net', '+4915123456789'],
		['100875997589545@lid', null],
		['120363041234567890@g.us', null],
		['0123@c.us', null],
		['abc@c.us', null],
		['1234567890123456@c.us', null],
		['12345@c.us', null],
		['123456@c.us', '+123456'],
	])('%s gives %p', (id, phone) => {
		expect(phoneNumber(id)).toBe(phone);
	});
});

describe('displayName', () => {
	test.each([
		[{ id: '4915123456789@c.us', name: 'Anna', pushname: 'Anni' }, 'Anna'],
		[{ id: '4915123456789@c.us', name: '  ', pushname: 'Anni' }, 'Anni'],
		[{ id: '4915123456789@c.us', name: '', pushname: '' }, '+4915123456789'],
		[{ id: '100875997589545@lid' }, '100875997589545@lid'],
		[{ id: '100875997589545@lid', pushname: 'Maria Doe' }, 'Maria Doe'],
	])('%p is shown as %p', (contact, name) => {
		expect(displayName(contact)).toBe(name);
	});
});

test('addDerivedFields keeps the API fields first and adds kind, phone and displayName', () => {
	const derived = addDerivedFields({ id: '100875997589545@lid', name: 'Maria', pushname: 'Maria Doe' });
	expect(Object.keys(derived)).toEqual(['id', 'name', 'pushname', 'kind', 'phone', 'displayName']);
	expect(derived).toEqual({ id: '100875997589545@lid', name: 'Maria', pushname: 'Maria Doe', kind: 'lid', phone: null, displayName: 'Maria' });
	expect(addDerivedFields({ id: '4915123456789:3@s.whatsapp.net', name: ' ' })).toMatchObject({
		kind: 'phone',
		phone: '+4915123456789',
		displayName: '+4915123456789',
	});
});

describe('matchesFilter', () => {
	test('folds case and accents on both sides', () => {
		expect(foldForSearch('JOSÉ Núñez')).toBe('jose nunez');
		expect(matchesFilter({ id: '1@c.us', name: 'José' }, { nameSearch: foldForSearch('jose') })).toBe(true);
		expect(matchesFilter({ id: '1@c.us', pushname: 'ZOË' }, { nameSearch: foldForSearch('zoe') })).toBe(true);
		expect(matchesFilter({ id: '1@c.us', name: 'محمد علي' }, { nameSearch: foldForSearch('علي') })).toBe(true);
		expect(matchesFilter({ id: '1@c.us' }, { nameSearch: 'a' })).toBe(false);
	});

	test('combines kind and name', () => {
		const filter = { kinds: new Set(['group'] as const), nameSearch: 'family' };
		expect(matchesFilter({ id: '1-2@g.us', name: 'Family 👨‍👩‍👧' }, filter)).toBe(true);
		expect(matchesFilter({ id: '1@c.us', name: 'Family doctor' }, filter)).toBe(false);
	});
});
