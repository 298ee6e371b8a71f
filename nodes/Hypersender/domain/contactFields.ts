import type { HypersenderContact } from '../helpers/interfaces';

/** What a WhatsApp ID (JID) names, from its server part. */
export type ContactKind = 'phone' | 'lid' | 'group' | 'other';

const KIND_BY_SERVER: Record<string, ContactKind> = {
	'c.us': 'phone',
	's.whatsapp.net': 'phone',
	lid: 'lid',
	'g.us': 'group',
};

export function contactKind(id: string): ContactKind {
	const server = id.slice(id.lastIndexOf('@') + 1);
	// The API sends lower case; other spellings take the slower path.
	return KIND_BY_SERVER[server] ?? KIND_BY_SERVER[server.toLowerCase()] ?? 'other';
}

/** `+<digits>` for the user part of a phone JID: 6 to 15 digits, no leading 0 (E.164). */
function e164(id: string): string | null {
	const at = id.lastIndexOf('@');
	// A device suffix ("4915123456789:12@s.whatsapp.net") is not part of the number.
	const colon = id.indexOf(':');
	const end = colon !== -1 && colon < at ? colon : at;
	if (end < 6 || end > 15 || id.charCodeAt(0) === 48) return null;
	for (let index = 0; index < end; index++) {
		const code = id.charCodeAt(index);
		if (code < 48 || code > 57) return null;
	}
	return `+${id.slice(0, end)}`;
}

/**
 * The E.164 number of a phone JID (`4915123456789@c.us` → `+4915123456789`), or null.
 * Linked IDs (`@lid`) hide the number by design, so they never get one.
 */
export function phoneNumber(id: string): string | null {
	return contactKind(id) === 'phone' ? e164(id) : null;
}

function nonBlank(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function displayNameOf(contact: HypersenderContact, phone: string | null): string {
	return nonBlank(contact.name) ?? nonBlank(contact.pushname) ?? phone ?? contact.id;
}

export function displayName(contact: HypersenderContact): string {
	return displayNameOf(contact, phoneNumber(contact.id));
}

export interface DerivedFields {
	kind: ContactKind;
	phone: string | null;
	displayName: string;
}

/**
 * Adds `kind`, `phone` and `displayName` after the API's own fields. The contact is changed in
 * place: it is the object just parsed from this run's response, and a copy of 100,000
 * contacts would only be garbage a moment later.
 */
export function addDerivedFields(contact: HypersenderContact): HypersenderContact & DerivedFields {
	const kind = contactKind(contact.id);
	const phone = kind === 'phone' ? e164(contact.id) : null;
	const derived = contact as HypersenderContact & DerivedFields;
	derived.kind = kind;
	derived.phone = phone;
	derived.displayName = displayNameOf(contact, phone);
	return derived;
}

// eslint-disable-next-line no-control-regex -- "only ASCII" is exactly what is tested
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** Lower case, accents removed: "José" and "JOSE" both become "jose". */
export function foldForSearch(text: string): string {
	// Most names are plain ASCII: they need no Unicode normalisation.
	if (ASCII_ONLY.test(text)) return text.toLowerCase();
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface ContactFilter {
	kinds?: ReadonlySet<ContactKind>;
	/** Already folded with `foldForSearch`. */
	nameSearch?: string;
}

function containsFolded(value: unknown, search: string): boolean {
	return typeof value === 'string' && value.length >= search.length && foldForSearch(value).includes(search);
}

export function matchesFilter(contact: HypersenderContact, filter: ContactFilter): boolean {
	if (filter.kinds && !filter.kinds.has(contactKind(contact.id))) return false;
	const search = filter.nameSearch;
	if (search && !containsFolded(contact.name, search) && !containsFolded(contact.pushname, search)) {
		return false;
	}
	return true;
}
