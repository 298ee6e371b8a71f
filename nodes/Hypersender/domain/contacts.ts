import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { HypersenderContact } from '../helpers/interfaces';
import type { ItemClient } from '../transport';

function isContact(value: unknown): value is HypersenderContact {
	return (
		value !== null &&
		typeof value === 'object' &&
		!Array.isArray(value) &&
		typeof (value as { id?: unknown }).id === 'string' &&
		(value as { id: string }).id !== ''
	);
}

/**
 * Reads one contact (`GET contacts/get`); null when the API says there is none, which it may
 * say with a 404 or with a 200 whose body has no contact.
 */
export async function fetchContact(client: ItemClient, chatIdValue: string): Promise<HypersenderContact | null> {
	const how = {
		idempotent: true,
		what: `request for the contact "${chatIdValue}"`,
		expected: 'JSON with a "data" object holding the contact',
	};
	const response = await client.find(
		{ method: 'GET', path: 'contacts/get', qs: { chat_id: chatIdValue } },
		how,
	);
	if (response === null) return null;
	const { data, message } = (response.json ?? {}) as { data?: unknown; message?: unknown };
	if (isContact(data)) return data;
	// "Contact not found." with no contact in "data" (missing, null or empty) is an answer, not a broken body.
	if (typeof message === 'string' && /not found/i.test(message)) return null;
	throw client.unexpected('the JSON has no contact with an "id" in "data"', how);
}

/** The error for a contact the API does not know, naming the chat ID sent (and as typed, when it was reduced to digits). */
export function contactNotFound(
	this: IExecuteFunctions,
	itemIndex: number,
	chatIdValue: string,
	typed: unknown,
): NodeApiError {
	const asTyped = typeof typed === 'string' && typed.trim() !== chatIdValue ? ` (from "${typed.trim()}")` : '';
	const message = `No contact found for the chat ID "${chatIdValue}"${asTyped}`;
	return new NodeApiError(
		this.getNode(),
		{ message, httpCode: '404' },
		{
			message,
			httpCode: '404',
			itemIndex,
			description:
				'The WhatsApp instance has no contact with this chat ID or phone number. Check the number (with its country code) or the ID, or list the contacts with Contact › Get Many.',
		},
	);
}
