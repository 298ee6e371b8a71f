import type { HypersenderContact } from './interfaces';

/** What a WhatsApp ID (JID) names, from its server part. */
export type ContactKind = 'phone' | 'lid' | 'group' | 'other';

export const CONTACT_KINDS_FILTERABLE: readonly Exclude<ContactKind, 'other'>[] = ['phone', 'lid', 'group'];

export function contactKind(id: string): ContactKind {
	const server = id.slice(id.lastIndexOf('@') + 1).toLowerCase();
	if (server === 'c.us' || server === 's.whatsapp.net') return 'phone';
	if (server === 'lid') return 'lid';
	if (server === 'g.us') return 'group';
	return 'other';
}

/**
 * The E.164 number of a phone JID (`4915123456789@c.us` → `+4915123456789`), or null.
 * Linked IDs (`@lid`) hide the number by design, so they never get one.
 */
export function phoneNumber(id: string): string | null {
	if (contactKind(id) !== 'phone') return null;
	// A device suffix ("4915123456789:12@s.whatsapp.net") is not part of the number.
	const user = id.slice(0, id.lastIndexOf('@')).split(':')[0];
	return /^[1-9]\d{5,14}$/.test(user) ? `+${user}` : null;
}

function nonEmpty(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function displayName(contact: HypersenderContact): string {
	return nonEmpty(contact.name) ?? nonEmpty(contact.pushname) ?? phoneNumber(contact.id) ?? contact.id;
}

export interface DerivedFields {
	kind: ContactKind;
	phone: string | null;
	displayName: string;
}

/** A copy of the contact with `kind`, `phone` and `displayName` added after the API's own fields. */
export function withDerivedFields(contact: HypersenderContact): HypersenderContact & DerivedFields {
	return { ...contact, kind: contactKind(contact.id), phone: phoneNumber(contact.id), displayName: displayName(contact) };
}

/** Lower case, accents removed: "José" and "JOSE" both become "jose". */
export function foldForSearch(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export interface ContactFilter {
	kinds?: ReadonlySet<ContactKind>;
	/** Already folded with `foldForSearch`. */
	nameSearch?: string;
}

export function matchesFilter(contact: HypersenderContact, filter: ContactFilter): boolean {
	if (filter.kinds && !filter.kinds.has(contactKind(contact.id))) return false;
	if (filter.nameSearch) {
		const { nameSearch } = filter;
		const matches = [contact.name, contact.pushname].some(
			(value) => typeof value === 'string' && foldForSearch(value).includes(nameSearch),
		);
		if (!matches) return false;
	}
	return true;
}
