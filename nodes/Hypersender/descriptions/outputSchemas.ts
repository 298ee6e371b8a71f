/**
 * What an operation outputs, as the JSON Schema n8n's editor shows before the node has run (the
 * schema preview). Each operation exports its `outputSchema` beside its parameters; the build
 * (scripts/schemas.js) writes them as the `__schema__/v<version>/<resource>/<operation>.json`
 * files n8n reads from the installed package. The parts several operations share are here.
 */

export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'array' | 'object';

/** The JSON Schema subset the output schemas use. Keys are written in the order they are set. */
export interface OutputSchema {
	type: JsonType | JsonType[];
	properties?: Record<string, OutputSchema>;
	items?: OutputSchema;
	/** Absent: every key is declared in `properties`; true: free-form; a schema: what undeclared keys hold. */
	additionalProperties?: boolean | OutputSchema;
	enum?: Array<string | number | boolean | null>;
	required?: string[];
	description?: string;
}

/** A value of one type (or one of several), with what it means when that is worth saying. */
export function field(type: JsonType | JsonType[], description?: string): OutputSchema {
	return description === undefined ? { type } : { type, description };
}

/** An object with the given properties (and nothing else). */
export function object(properties: Record<string, OutputSchema>): OutputSchema {
	return { type: 'object', properties };
}

/** The chat ID an operation was given, as it outputs it. */
export const chatIdSent = field('string', 'The chat ID sent');

// ---- contacts (Get, Get Many, and Create or Update's read-back) ----

/** A contact as the API sends it. */
export const contactFields: Record<string, OutputSchema> = {
	id: field('string', 'WhatsApp ID (JID): …@c.us or …@s.whatsapp.net a phone number, …@lid a linked ID, …@g.us a group'),
	name: field(['string', 'null'], 'The name saved in the phone; can be missing or empty'),
	pushname: field(['string', 'null'], 'The name the contact set; can be missing or empty'),
};

/** One contact item of Get and Get Many: the contact, and what Add Derived Fields adds. */
export const contactOutput: OutputSchema = {
	type: 'object',
	properties: {
		...contactFields,
		kind: { type: 'string', enum: ['phone', 'lid', 'group', 'other'], description: 'Option Add Derived Fields: what the ID names' },
		phone: field(['string', 'null'], 'Option Add Derived Fields: the E.164 number (+4915123456789) of a phone contact, else null'),
		displayName: field('string', 'Option Add Derived Fields: the name, else the pushname, else the phone number, else the ID'),
	},
	required: ['id'],
};

// ---- queued operations (Message and Chat) ----

/**
 * The item of a queued operation: queued (default output) or, with Wait for Result, what the
 * request ended with; `extraProperties` (what the operation's result adds) go before responseStatus.
 */
export function queuedOutput(extraProperties: Record<string, OutputSchema> = {}): OutputSchema {
	return {
		type: 'object',
		properties: {
			queued: field('boolean', 'Default output (Wait for Result off): the request was queued'),
			queuedRequestId: field('string', 'The queued request\'s UUID, for Queued Request › Get'),
			queuedRequestLink: field('string', 'Default output (Wait for Result off): the API link of the queued request'),
			...extraProperties,
			responseStatus: field('integer', 'Wait for Result: the HTTP status the queued request ended with'),
		},
		required: ['queuedRequestId'],
	};
}

/** The key of a message another message is about (a reaction's, a deletion's). */
export const messageKey: OutputSchema = {
	type: 'object',
	properties: {
		remoteJid: field('string'),
		remoteJidAlt: field('string'),
		fromMe: field('boolean'),
		id: field('string'),
		participant: field('string'),
	},
	required: ['remoteJid', 'fromMe', 'id'],
};

/** The fields of a sent message (Wait for Result); `messageShape`: what its `message` content may hold. */
export function sentMessageFields(messageShape: Record<string, OutputSchema>): Record<string, OutputSchema> {
	return {
		messageId: field('string', 'Wait for Result: the serialized message ID React, Forward, Star and Delete take'),
		key: {
			type: 'object',
			properties: { remoteJid: field('string'), fromMe: field('boolean'), id: field('string') },
			required: ['remoteJid', 'fromMe', 'id'],
			description: 'Wait for Result: the message\'s key',
		},
		message: { type: 'object', properties: messageShape, description: 'Wait for Result: the message content as WhatsApp stored it' },
		messageTimestamp: field('string', 'Wait for Result: Unix time in seconds'),
		status: field('string', 'Wait for Result: WhatsApp\'s status of the message, e.g. PENDING'),
	};
}

const contextInfo = object({
	stanzaId: field('string'),
	remoteJid: field('string'),
	participant: field('string'),
	quotedMessage: { type: 'object', additionalProperties: true },
	forwardingScore: field('integer'),
	isForwarded: field('boolean'),
});

/** Message content: its own fields, then the context (reply, forwarding) every kind carries. */
const content = (properties: Record<string, OutputSchema>) => object({ ...properties, contextInfo });

/** A media message's fields, with what its kind adds (caption, file name, …) before the context. */
const media = (properties: Record<string, OutputSchema>) =>
	content({
		url: field('string'),
		mimetype: field('string'),
		fileSha256: field('string'),
		fileLength: field(['string', 'integer']),
		directPath: field('string'),
		mediaKeyTimestamp: field(['string', 'integer']),
		...properties,
	});

const video = media({ caption: field('string'), gifPlayback: field('boolean') });

/**
 * The message contents the send operations produce, by WhatsApp's key: each send operation's
 * `message` holds its own, a forwarded message any of them (Forward lists them all).
 */
export const messageContents = {
	conversation: field('string'),
	extendedTextMessage: content({ text: field('string') }),
	imageMessage: media({ caption: field('string') }),
	videoMessage: video,
	ptvMessage: video,
	documentMessage: media({ caption: field('string'), fileName: field('string') }),
	audioMessage: media({ ptt: field('boolean') }),
	locationMessage: content({ degreesLatitude: field('number'), degreesLongitude: field('number'), name: field('string') }),
	contactMessage: content({ displayName: field('string'), vcard: field('string') }),
	contactsArrayMessage: content({
		displayName: field('string'),
		contacts: { type: 'array', items: object({ displayName: field('string'), vcard: field('string') }) },
	}),
	pollCreationMessageV3: content({
		name: field('string'),
		options: { type: 'array', items: { type: 'object', properties: { optionName: field('string') }, required: ['optionName'] } },
		selectableOptionsCount: field('integer'),
	}),
} satisfies Record<string, OutputSchema>;

export type MessageContent = keyof typeof messageContents;

/** The item of a send operation: queued, or with Wait for Result the sent message with the given contents. */
export function sentMessageOutput(...contents: MessageContent[]): OutputSchema {
	return queuedOutput(sentMessageFields(Object.fromEntries(contents.map((name) => [name, messageContents[name]]))));
}
