// @ts-check
'use strict';
// `node sandbox/cli.js simulate <kind> [options]`: asks a running sandbox to simulate what a
// customer does (POST /__sandbox/simulate/{instance}/{kind}) and prints what was delivered to the
// webhook, and how the receiver answered. Exit code 0 when done (delivered with a 2xx answer, or
// no webhook URL configured), 1 when the sandbox refused or a delivery failed, 2 for bad flags.

const { SIMULATION_KINDS: KINDS } = require('./simulate');

const DEFAULT_SANDBOX_URL = 'http://127.0.0.1:8787';

const SIMULATE_USAGE = `Usage: node sandbox/cli.js simulate <kind> [options]

Simulates what a customer does on a running sandbox, which delivers the webhook event to its
webhook URL (--webhook-url when it was started, or POST /__sandbox/config {"webhookUrl":"…"}).

Kinds:
  message           an incoming text (message.any, fromMe false); its id then works with send-seen,
                    react-to-message, forward-message, read-chat and reply_to
  media             an incoming voice note, image, document, video or sticker (--kind; message.any
                    with hasMedia true and media {url, mimetype, filename, error}); the bytes are
                    served by the media host (no auth) or the API origin (with the token)
  reaction          a reaction to a message (message.reaction); --reaction "" removes it
  poll-vote         a vote on a poll the node sent (poll.vote)
  poll-vote-failed  a vote that could not be decrypted (poll.vote.failed)
  revoke            the customer deletes a message they sent, for everyone (message.revoked)
  waiting           WhatsApp shows "Waiting for this message" (message.waiting)
  presence          the customer is typing, recording… (presence.update)
  ack               a message the node sent is delivered, read… (message.ack)
  contact-add       a new contact in the address book (contacts/get-all; no webhook)
  contact-rename    a contact's name or pushname changes (no webhook)
  event             any event as given: --event NAME --payload JSON
  sms               what the SMS gateway's phone does (--event, default message.phone.received):
                    message.phone.received (an SMS arrives --from, with --content: a received
                    message in its thread), message.phone.sent, message.phone.delivered,
                    message.send.failed (--reason), message.send.expired (the newest SMS sent
                    through the API, or --message-id, changes status), message.notification.scheduled,
                    message.call.missed (--from), phone.heartbeat.received (--battery-level,
                    --charging, --app-version; a heartbeat recorded), phone.heartbeat.online,
                    phone.heartbeat.offline, phone.heartbeat.missed, phone.heartbeat.disabled;
                    delivered as the SMS webhooks are: {"event", "data": <record>}

Options:
  --sandbox URL       the running sandbox (default $HYPERSENDER_SANDBOX_URL or ${DEFAULT_SANDBOX_URL})
  --instance ID       the instance (default: the sandbox's main instance)
  --from PHONE        the customer: +49 151 23456789, 4915123456789@c.us or <id>@lid
                      (sms: the sender's number, default +15550100001)
                      (default: a contact for message; the message's chat for reaction, poll-vote)
  --group ID          in this group (<id>@g.us); --from is then the member who acts
  --text TEXT         message: the text (default "Hello from the sandbox")
  --name NAME         message: the sender's push name if the contact has none;
                      contact-add, contact-rename: the contact's name
  --pushname NAME     contact-add, contact-rename: the contact's own profile name
  --reply-to ID       message: quotes this message (a serialized id)
  --message-id ID     reaction, revoke, ack, poll-vote: the message (default: the newest one
                      that fits, in the --from/--group chat when given)
  --reaction EMOJI    reaction: the emoji (default 👍; "" removes the reaction)
  --option NAME       poll-vote: a chosen option (repeatable; default the poll's first option)
  --presence STATE    presence: typing, recording, paused, online or offline (default typing)
  --ack LEVEL         ack: ERROR, PENDING, SERVER, DEVICE, READ or PLAYED, or -1..4 (default READ)
  --phone PHONE       contact-add, contact-rename: the contact's phone number
  --id CHAT_ID        contact-add, contact-rename: the contact's chat id (…@c.us, …@lid, …@g.us)
  --kind KIND         media: voice, image, document, video or sticker
  --caption TEXT      media: the caption (image, video, document)
  --origin WHERE      media: media-host (default; a link without auth) or api (a link on the API
                      origin, under the instance, that needs the token)
  --expires-in TIME   media: the link expires after TIME: ms, or 30s, 10m (default 10m)
  --size BYTES        media: the file's size (default by kind, 8000 to 60000; up to 64 MB)
  --seed N            media: the seed of the bytes (default: the next one, 1, 2, 3…)
  --filename NAME     media: the file name (documents default to order-confirmation.pdf)
  --no-filename       media: no filename in the payload at all (documents: no fileName either)
  --inline            media: the bytes inline as media.data (base64), url null (up to 8 MB)
  --error TEXT        media: media.error is TEXT and url null, e.g. "Media not available"
  --not-found         media: the link answers 404
  --throttle BYTES    media: the link sends at most BYTES a second
  --delay MS          media: the link waits MS before it answers
  --transcript TEXT   media: what the transcription endpoint hears in the voice note
  --content TEXT      sms: the received SMS's text (default "Hello from the sandbox")
  --reason TEXT       sms (message.send.failed): the failure_reason (default UNKNOWN)
  --battery-level N   sms (phone.heartbeat.received): 0-100 (default 80)
  --charging          sms (phone.heartbeat.received): is_charging true
  --app-version V     sms (phone.heartbeat.received): the app version (default v1.0.3)
  --event NAME        event: the event name, e.g. message.any; sms: the SMS event
  --payload JSON      event: the payload (default {})
  --json              print the sandbox's whole answer as JSON
  --help              show this help
`;

/** Flags that take a value, and the input field each fills. */
const VALUE_FLAGS = /** @type {Record<string, string>} */ ({
	from: 'from',
	group: 'group',
	text: 'text',
	name: 'name',
	pushname: 'pushname',
	'reply-to': 'replyTo',
	'message-id': 'messageId',
	reaction: 'reaction',
	presence: 'presence',
	ack: 'ack',
	phone: 'phone',
	id: 'id',
	event: 'event',
	kind: 'kind',
	caption: 'caption',
	origin: 'origin',
	size: 'size',
	seed: 'seed',
	filename: 'filename',
	error: 'error',
	throttle: 'throttleBytesPerSecond',
	delay: 'delayMs',
	transcript: 'transcript',
	content: 'content',
	reason: 'reason',
	'battery-level': 'batteryLevel',
	'app-version': 'appVersion',
});
/** Flags that take no value, and the input field each sets to true. */
const SWITCH_FLAGS = /** @type {Record<string, string>} */ ({ 'no-filename': 'noFilename', inline: 'inline', 'not-found': 'notFound', charging: 'isCharging' });

class SimulateUsageError extends Error {}

/**
 * Milliseconds from `500`, `500ms`, `30s`, `10m` or `1h`.
 * @param {string} value
 */
function durationMs(value) {
	const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
	if (!match) throw new SimulateUsageError(`--expires-in must be a duration like 600000, 30s or 10m, got "${value}"`);
	const unit = { ms: 1, s: 1000, m: 60000, h: 3600000 }[match[2] ?? 'ms'] ?? 1;
	return Math.round(Number(match[1]) * unit);
}

/**
 * @param {string[]} argv the arguments after `simulate`
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ help: true } | { help?: undefined, kind: string, sandbox: string, instance: string | undefined, json: boolean, input: Record<string, unknown> }}
 */
function parseSimulateArgs(argv, env = process.env) {
	/** @type {Record<string, unknown>} */
	const input = {};
	/** @type {string[]} */
	const options = [];
	/** @type {string[]} */
	const positional = [];
	let sandbox = env.HYPERSENDER_SANDBOX_URL || DEFAULT_SANDBOX_URL;
	/** @type {string | undefined} */
	let instance;
	let json = false;
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argv[i]);
		if (!match) {
			positional.push(argv[i]);
			continue;
		}
		const [, name, inline] = match;
		if (name === 'help') return { help: true };
		if (name === 'json' || Object.hasOwn(SWITCH_FLAGS, name)) {
			if (inline !== undefined) throw new SimulateUsageError(`--${name} takes no value`);
			if (name === 'json') json = true;
			else input[SWITCH_FLAGS[name]] = true;
			continue;
		}
		if (!Object.hasOwn(VALUE_FLAGS, name) && !['sandbox', 'instance', 'option', 'payload', 'expires-in'].includes(name)) throw new SimulateUsageError(`unknown option --${name}`);
		const value = inline ?? argv[++i];
		if (value === undefined) throw new SimulateUsageError(`--${name} needs a value`);
		if (name === 'sandbox') sandbox = value;
		else if (name === 'instance') instance = value;
		else if (name === 'option') options.push(value);
		else if (name === 'expires-in') input.expiresInMs = durationMs(value);
		else if (name === 'payload') {
			try {
				input.payload = JSON.parse(value);
			} catch (error) {
				throw new SimulateUsageError(`--payload must be JSON: ${error.message}`);
			}
		} else input[VALUE_FLAGS[name]] = value;
	}
	if (positional.length === 0) throw new SimulateUsageError(`give the kind: ${KINDS.join(', ')}`);
	if (positional.length > 1) throw new SimulateUsageError(`unexpected argument "${positional[1]}"`);
	const kind = positional[0];
	if (!KINDS.includes(kind)) throw new SimulateUsageError(`unknown kind "${kind}"; known: ${KINDS.join(', ')}`);
	if (options.length > 0) input.options = options;
	try {
		const url = new URL(sandbox);
		if (url.protocol !== 'http:') throw new Error('not http');
	} catch {
		throw new SimulateUsageError(`--sandbox must be the sandbox's http URL, like ${DEFAULT_SANDBOX_URL}, got "${sandbox}"`);
	}
	return { kind, sandbox: sandbox.replace(/\/+$/, ''), instance, json, input };
}

/**
 * @param {string} url
 * @param {RequestInit} [init]
 * @returns {Promise<{ status: number, body: any }>}
 */
async function request(url, init) {
	const response = await fetch(url, init);
	const text = await response.text();
	let body;
	try {
		body = JSON.parse(text);
	} catch {
		body = { message: text };
	}
	return { status: response.status, body };
}

/**
 * One line per event: where it went and how the receiver answered.
 * @param {{ event: string, eventId: string, delivered: boolean, url: string | null, status: number | null, error: string | null, durationMs: number | null }} result
 */
function describeDelivery(result) {
	if (result.url === null) return `${result.event} ${result.eventId}: not delivered (${result.error})`;
	const outcome = result.status === null ? `failed: ${result.error}` : `HTTP ${result.status}`;
	return `${result.event} ${result.eventId} -> ${result.url}: ${outcome} (${result.durationMs} ms)`;
}

/**
 * One line about a simulated media: its id, kind, type, size, and where it is.
 * @param {{ id: string, kind: string, mimetype: string, size: number, url: string | null, inline: boolean, error: string | null, origin: string, expiresAt: number }} media
 */
function describeMedia(media) {
	const where = media.url !== null ? `${media.url} (${media.origin}, expires ${new Date(media.expiresAt).toISOString()})` : media.inline ? 'inline (media.data)' : `no URL, error "${media.error}"`;
	return `media ${media.id}: ${media.kind}, ${media.mimetype}, ${media.size} bytes: ${where}`;
}

/**
 * Runs `simulate`; resolves with the exit code.
 * @param {string[]} argv the arguments after `simulate`
 * @param {{ stdout?: { write(text: string): unknown }, stderr?: { write(text: string): unknown }, env?: NodeJS.ProcessEnv }} [io]
 */
async function simulateMain(argv, io = {}) {
	const stdout = io.stdout ?? process.stdout;
	const stderr = io.stderr ?? process.stderr;
	let parsed;
	try {
		parsed = parseSimulateArgs(argv, io.env ?? process.env);
	} catch (error) {
		if (!(error instanceof SimulateUsageError)) throw error;
		stderr.write(`sandbox simulate: ${error.message}\nRun simulate --help to see the kinds and options.\n`);
		return 2;
	}
	if (parsed.help) {
		stdout.write(SIMULATE_USAGE);
		return 0;
	}
	const { kind, sandbox, json, input } = parsed;
	try {
		let instance = parsed.instance;
		if (instance === undefined) {
			const answer = await request(`${sandbox}/__sandbox/instances`);
			if (answer.status !== 200 || !Array.isArray(answer.body.data)) {
				stderr.write(`sandbox simulate: ${sandbox} answered ${answer.status} to GET /__sandbox/instances: is it the sandbox?\n`);
				return 1;
			}
			instance = String(answer.body.data[0]);
		}
		const answer = await request(`${sandbox}/__sandbox/simulate/${encodeURIComponent(instance)}/${kind}`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(input),
		});
		if (answer.status !== 200) {
			stderr.write(`sandbox simulate: the sandbox refused (${answer.status}): ${answer.body.message}\n`);
			return 1;
		}
		const result = answer.body;
		const events = /** @type {Array<Parameters<typeof describeDelivery>[0]>} */ (result.events);
		if (json) stdout.write(`${JSON.stringify(result, null, 2)}\n`);
		else {
			stdout.write(`Simulated ${kind} on instance ${instance}\n`);
			for (const event of events) stdout.write(`${describeDelivery(event)}\n`);
			if (result.messageId) stdout.write(`message id: ${result.messageId}\n`);
			if (result.contact) stdout.write(`contact: ${JSON.stringify(result.contact)}\n`);
			if (result.media) stdout.write(`${describeMedia(result.media)}\n`);
			if (result.message) stdout.write(`sms ${result.message.id}: ${result.message.status}, ${result.message.from_phone_number} -> ${result.message.to_phone_number}\n`);
			if (result.payload !== null) stdout.write(`payload: ${JSON.stringify(result.payload, null, 2)}\n`);
		}
		const failed = events.some((event) => event.url !== null && (event.status === null || event.status < 200 || event.status > 299));
		return failed ? 1 : 0;
	} catch (error) {
		const reason = error.cause?.code ?? error.cause?.errors?.[0]?.code ?? error.cause?.message;
		const cause = reason ? ` (${reason})` : '';
		stderr.write(`sandbox simulate: cannot reach the sandbox at ${sandbox}: ${error.message}${cause}\n`);
		return 1;
	}
}

module.exports = { DEFAULT_SANDBOX_URL, SIMULATE_USAGE, parseSimulateArgs, simulateMain };
