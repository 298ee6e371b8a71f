import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidParameter, phoneDigits, requiredText, text } from '../../../helpers/parameters';
import { queuedOptions, recipientField } from '../../../descriptions/common';
import { readQueuedItem } from '../../../execution/queuedParameters';
import type { QueuedAction } from '../../../execution/kinds';
import type { OutputSchema } from '../../../descriptions/outputSchemas';
import { sentMessageOutput } from '../../../descriptions/outputSchemas';

const show = { resource: ['message'], operation: ['sendContactCard'] };

const chatId = recipientField(show, 'The person or group to send the contact card(s) to: a phone number with country code or a WhatsApp chat ID');

const fullName: INodeProperties = {
	displayName: 'Full Name',
	name: 'fullName',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. Anna Schmidt',
};

const phoneNumber: INodeProperties = {
	displayName: 'Phone Number',
	name: 'phoneNumber',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'e.g. +49 151 23456789',
	description: 'With country code; the card links to this number\'s WhatsApp',
};

const organization: INodeProperties = {
	displayName: 'Organization',
	name: 'organization',
	type: 'string',
	default: '',
	placeholder: 'e.g. Acme GmbH',
};

/** One card of Contact Cards (a fixedCollection section). */
const card = { displayName: 'Contact Card', name: 'contact', values: [fullName, phoneNumber, organization] };

const contacts: INodeProperties = {
	displayName: 'Contact Cards',
	name: 'contacts',
	type: 'fixedCollection',
	required: true,
	typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Contact Card' },
	default: { contact: [{ fullName: '', phoneNumber: '' }] },
	placeholder: 'Add Contact Card',
	displayOptions: { show },
	description: 'The contact cards to send in one message',
	options: [card],
};

const options = queuedOptions(show, []);

/** Checked for every item, then queued in order (../../../execution/queued). */
export const kind = 'queued';

export const description: INodeProperties[] = [chatId, contacts, options];

/** Queued by default; with Wait for Result, the sent message. */
export const outputSchema: OutputSchema = sentMessageOutput('contactMessage', 'contactsArrayMessage');

function cardField(property: INodeProperties, position: number): INodeProperties {
	return { ...property, displayName: `Contact Card ${position} › ${property.displayName}` };
}

export async function prepare(this: IExecuteFunctions, itemIndex: number): Promise<QueuedAction> {
	const item = readQueuedItem.call(this, itemIndex, chatId, options);
	const raw = this.getNodeParameter(`${contacts.name}.${card.name}`, itemIndex, []) as unknown;
	if (!Array.isArray(raw) || raw.length === 0) {
		throw invalidParameter(contacts, raw, 'holds no card', 'one or more cards, each with a full name and a phone number');
	}
	const cards = raw.map((card: IDataObject, index) => {
		const name = requiredText(cardField(fullName, index + 1), card.fullName);
		const phoneProperty = cardField(phoneNumber, index + 1);
		const phone = requiredText(phoneProperty, typeof card.phoneNumber === 'number' ? String(card.phoneNumber) : card.phoneNumber);
		const digits = phoneDigits(phone);
		if (digits === undefined) {
			throw invalidParameter(phoneProperty, phone, 'is not a phone number', 'a phone number with country code, e.g. +49 151 23456789');
		}
		const result: IDataObject = { fullName: name, phoneNumber: phone, whatsappId: digits };
		const org = card.organization === undefined ? '' : text(cardField(organization, index + 1), card.organization);
		if (org) result.organization = org;
		return result;
	});
	return { ...item.base, method: 'POST', path: 'send-contact-card', body: { chatId: item.chatId, contacts: cards }, kind: 'message' };
}
