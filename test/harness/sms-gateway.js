// @ts-check
'use strict';
// A stand-in of the Hypersender SMS API for the SMS tests: a real HTTP server on 127.0.0.1 that
// keeps messages, threads and heartbeats, answers with Laravel's paginator as the API reference and
// the official SDK's fixtures show, and injects faults (500, 502, 504, reset, timeout) before or
// after it records a send. Plain JavaScript, like the sandbox: it opens sockets and prints figures.
const http = require('node:http');
const { randomUUID } = require('node:crypto');

const TOKEN = 'sms-secret-token';
const INSTANCE = 'sms-inst-1';
const FROM = '+201000000001';
const FAULT_KINDS = ['500', '502', '504', 'reset', 'timeout'];

/**
 * @typedef {Record<string, unknown>} Json
 * @typedef {{ rate: number, kinds?: string[], phase?: 'before' | 'after' | 'both', seed?: number, routes?: string[] }} Faults
 * @typedef {{ method: string, route: string, query: Record<string, string>, body: Json | undefined }} Call
 * @typedef {(call: Call, response: http.ServerResponse) => boolean} Intercept
 */

/** @param {number} seed a deterministic random in [0, 1) */
function seededRandom(seed) {
	let state = seed >>> 0 || 1;
	return () => {
		state = (state * 1664525 + 1013904223) >>> 0;
		return state / 2 ** 32;
	};
}

/** @param {http.ServerResponse} response @param {number} status @param {unknown} body */
function sendJson(response, status, body) {
	response.writeHead(status, { 'content-type': 'application/json' });
	response.end(JSON.stringify(body));
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, as the API writes its times. */
const apiTime = (/** @type {number} */ ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/**
 * Laravel's paginator over `items` for `per_page` and `page`.
 * @param {Json[]} items @param {Record<string, string>} query @param {string} url
 */
function paginate(items, query, url) {
	const perPage = Number(query.per_page ?? 15);
	const page = Number(query.page ?? 1);
	const lastPage = Math.max(1, Math.ceil(items.length / perPage));
	const data = items.slice((page - 1) * perPage, page * perPage);
	const link = (/** @type {number} */ number) => `${url}?per_page=${perPage}&page=${number}`;
	return {
		data,
		links: { first: link(1), last: link(lastPage), prev: page > 1 ? link(page - 1) : null, next: page < lastPage ? link(page + 1) : null },
		meta: {
			current_page: page,
			from: data.length ? (page - 1) * perPage + 1 : null,
			last_page: lastPage,
			path: url,
			per_page: perPage,
			to: data.length ? (page - 1) * perPage + data.length : null,
			total: items.length,
		},
	};
}

/** @param {unknown} value @param {unknown} search */
const contains = (value, search) => typeof value === 'string' && value.includes(String(search));

/**
 * The messages a `filter[...]` query selects: the text filters match parts (as spatie's partial
 * filters do), status, type and the thread exactly, created_at a `from,to` range.
 * @param {Json[]} messages @param {Record<string, string>} query
 */
function filterMessages(messages, query) {
	return messages.filter((message) => {
		for (const [key, value] of Object.entries(query)) {
			const field = /^filter\[(.+)\]$/.exec(key)?.[1];
			if (!field) continue;
			if (['request_id', 'from_phone_number', 'to_phone_number', 'content'].includes(field)) {
				if (!contains(message[field], value)) return false;
			} else if (field === 'created_at') {
				const [from, to] = value.split(',');
				if (String(message.created_at) < from || String(message.created_at) > to) return false;
			} else if (String(message[field]) !== value) return false;
		}
		return true;
	});
}

/** A 422 as Laravel words it. @param {http.ServerResponse} response @param {string} field @param {string} text */
function invalid(response, field, text) {
	sendJson(response, 422, { message: text, errors: { [field]: [text] } });
}

/**
 * What one gateway holds and how it behaves now.
 * @typedef {{
 *   messages: Json[], threads: Map<string, Json>, heartbeats: Json[], calls: Call[],
 *   counts: { sends: number, lookups: number, faults: Record<string, number> },
 *   faults: Faults | undefined, random: () => number, intercept: Intercept | undefined,
 *   spelling: 'sdk' | 'doc', wrapSend: boolean, uniqueRequestIds: boolean, clock: number,
 * }} State
 */

/** Records a sent SMS (and its thread). @param {State} state @param {Json} body */
function record(state, body) {
	const to = String(body.to);
	const key = `${FROM}|${to}`;
	const thread = state.threads.get(key) ?? { id: randomUUID(), phone_id: 'phone-1', from_phone_number: FROM, to_phone_number: to, is_archived: false, created_at: apiTime(state.clock) };
	state.clock += 1000;
	const message = {
		id: randomUUID(),
		request_id: body.request_id ?? null,
		message_thread_id: thread.id,
		phone_id: 'phone-1',
		from_phone_number: FROM,
		to_phone_number: to,
		content: body.content,
		status: body.schedule_send_at ? 'scheduled' : 'pending',
		type: 'sent',
		schedule_send_at: body.schedule_send_at ?? null,
		max_send_attempts: body.max_send_attempts ?? 3,
		message_expiration_seconds: body.message_expiration_seconds ?? 259200,
		created_at: apiTime(state.clock),
		updated_at: apiTime(state.clock),
	};
	state.messages.unshift(message);
	state.threads.set(key, { ...thread, last_message_id: message.id, last_message_content: message.content, last_message_at: message.created_at, updated_at: message.created_at });
	return message;
}

/** The ID a delete or edit names, in the spelling the gateway expects. @param {State} state @param {Call} call @param {string} sdk @param {string} doc */
function namedId(state, call, sdk, doc) {
	const source = call.method === 'PUT' ? (call.body ?? {}) : call.query;
	const field = state.spelling === 'sdk' ? sdk : doc;
	return { field, id: source[field] };
}

/** @typedef {{ status: number, body?: unknown, field?: string, text?: string }} Answer */

/** send-message. @param {State} state @param {Call} call @returns {Answer} */
function sendMessage(state, call) {
	const body = call.body ?? {};
	if (typeof body.content !== 'string' || body.content === '') return { status: 422, field: 'content', text: 'The content field is required.' };
	if (typeof body.to !== 'string' || !/^\+[1-9]\d{5,14}$/.test(body.to)) return { status: 422, field: 'to', text: 'The to field format is invalid.' };
	if (state.uniqueRequestIds && state.messages.some((message) => message.request_id === body.request_id)) {
		return { status: 422, field: 'request_id', text: 'The request id has already been taken.' };
	}
	state.counts.sends++;
	const message = record(state, body);
	return { status: 200, body: state.wrapSend ? { success: true, data: message } : message };
}

/** edit-message-thread, delete-message and delete-message-thread. @param {State} state @param {Call} call @returns {Answer} */
function changeRecord(state, call) {
	const thread = call.route !== 'delete-message';
	const { field, id } = thread ? namedId(state, call, 'message_thread_id', 'messageThreadId') : namedId(state, call, 'message_id', 'messageId');
	const noun = thread ? 'message thread id' : 'message id';
	const list = thread ? [...state.threads.values()] : state.messages;
	const found = list.find((entry) => entry.id === id);
	if (id === undefined) return { status: 422, field, text: `The ${noun} field is required.` };
	if (!found) return { status: 422, field, text: `The selected ${noun} is invalid.` };
	if (call.method === 'PUT') {
		found.is_archived = call.body?.is_archived === true;
		return { status: 200, body: found };
	}
	if (thread) {
		for (const [key, entry] of state.threads) if (entry.id === id) state.threads.delete(key);
	} else {
		state.messages.splice(state.messages.indexOf(found), 1);
	}
	return { status: 200, body: { success: true, message: 'Deleted.' } };
}

/** Answers one call of the SMS API. @param {State} state @param {Call} call @param {string} url @returns {Answer} */
function answer(state, call, url) {
	switch (`${call.method} ${call.route}`) {
		case 'POST send-message':
			return sendMessage(state, call);
		case 'GET messages':
			if (Number(call.query.per_page) > 50) return { status: 422, field: 'per_page', text: 'The per page field must not be greater than 50.' };
			if (call.query['filter[request_id]'] !== undefined) state.counts.lookups++;
			return { status: 200, body: paginate(filterMessages(state.messages, call.query), call.query, url) };
		case 'GET message-threads': {
			const number = call.query['filter[from_or_to_number]'];
			const archived = call.query['filter[is_archived]'];
			const list = [...state.threads.values()].filter(
				(thread) =>
					(number === undefined || contains(thread.to_phone_number, number) || contains(thread.from_phone_number, number)) &&
					(archived === undefined || String(Number(thread.is_archived)) === archived),
			);
			return { status: 200, body: paginate(list, call.query, url) };
		}
		case 'GET heartbeats':
			return { status: 200, body: paginate(state.heartbeats, call.query, url) };
		case 'PUT edit-message-thread':
		case 'DELETE delete-message':
		case 'DELETE delete-message-thread':
			return changeRecord(state, call);
		default:
			return { status: 404, body: { message: `No route ${call.method} ${call.route}` } };
	}
}

/** A fault for this call, or undefined. @param {State} state @param {Call} call */
function drawFault(state, call) {
	const faults = state.faults;
	if (!faults || faults.rate === 0 || (faults.routes && !faults.routes.includes(call.route))) return undefined;
	if (state.random() >= faults.rate) return undefined;
	const kinds = faults.kinds ?? FAULT_KINDS;
	const kind = kinds[Math.floor(state.random() * kinds.length)];
	const phase = faults.phase === 'both' || faults.phase === undefined ? (state.random() < 0.5 ? 'before' : 'after') : faults.phase;
	const name = `${call.route} ${phase} ${kind}`;
	state.counts.faults[name] = (state.counts.faults[name] ?? 0) + 1;
	return { kind, phase };
}

/** Answers with the fault instead: a status, a dropped connection, or no answer (the client times out). @param {http.ServerResponse} response @param {string} kind */
function sendFault(response, kind) {
	if (kind === 'reset') response.socket?.destroy();
	else if (kind === '500') sendJson(response, 500, { message: 'Server Error' });
	else if (kind !== 'timeout') {
		response.writeHead(Number(kind), { 'content-type': 'text/html' });
		response.end(`<html><head><title>${kind}</title></head><body><center><h1>${kind}</h1></center><hr><center>nginx</center></body></html>`);
	}
}

/** The server's request handler. @param {State} state */
function handler(state) {
	const prefix = `/api/sms/v2/${INSTANCE}/`;
	return (/** @type {http.IncomingMessage} */ request, /** @type {http.ServerResponse} */ response) => {
		let text = '';
		request.on('data', (chunk) => (text += chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			/** @type {Call} */
			const call = {
				method: request.method ?? '',
				route: url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
				query: Object.fromEntries(url.searchParams),
				body: text ? JSON.parse(text) : undefined,
			};
			state.calls.push(call);
			if (request.headers.authorization !== `Bearer ${TOKEN}`) return sendJson(response, 401, { message: 'Unauthenticated.' });
			if (state.intercept?.(call, response)) return;
			const fault = drawFault(state, call);
			if (fault?.phase === 'before') return sendFault(response, fault.kind);
			const result = answer(state, call, `http://${request.headers.host}${url.pathname}`);
			if (fault) return sendFault(response, fault.kind);
			if (result.field !== undefined) return invalid(response, result.field, String(result.text));
			sendJson(response, result.status, result.body);
		});
	};
}

/** @param {number} count heartbeats every 15 minutes, newest first */
function makeHeartbeats(count) {
	return Array.from({ length: count }, (_, index) => {
		const at = apiTime(Date.UTC(2026, 0, 2) - index * 900_000);
		return { id: `hb-${String(index).padStart(4, '0')}`, phone_id: 'phone-1', battery_level: 100 - (index % 100), is_charging: index % 2 === 0, local_timestamp: at, app_version: '1.4.0', created_at: at, updated_at: at };
	});
}

/** Prints one line of figures (the fault suites'). @param {string} label @param {unknown} figures */
function printFigures(label, figures) {
	process.stdout.write(`${label}: ${JSON.stringify(figures)}\n`);
}

/**
 * @param {{ faults?: Faults, spelling?: 'sdk' | 'doc', wrapSend?: boolean, uniqueRequestIds?: boolean, heartbeats?: number }} [options]
 */
async function startSmsGateway(options = {}) {
	/** @type {State} */
	const state = {
		messages: [],
		threads: new Map(),
		heartbeats: makeHeartbeats(options.heartbeats ?? 0),
		calls: [],
		counts: { sends: 0, lookups: 0, faults: {} },
		faults: options.faults,
		random: seededRandom(options.faults?.seed ?? 1),
		intercept: undefined,
		spelling: options.spelling ?? 'sdk',
		wrapSend: options.wrapSend ?? false,
		uniqueRequestIds: options.uniqueRequestIds ?? false,
		clock: Date.UTC(2026, 0, 1, 8),
	};
	const server = http.createServer(handler(state));
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const baseUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}/api/whatsapp/v2`;
	return {
		/** The credential's Base URL (the WhatsApp API's); the node derives …/api/sms/v2 from it. */
		baseUrl,
		credentials: { apiToken: TOKEN, instanceId: 'wa-inst-1', smsInstanceId: INSTANCE, baseUrl },
		state,
		/** @param {Partial<Pick<State, 'faults' | 'intercept' | 'spelling' | 'wrapSend' | 'uniqueRequestIds'>>} changes */
		configure(changes) {
			Object.assign(state, changes);
			if ('faults' in changes) state.random = seededRandom(changes.faults?.seed ?? 1);
		},
		/** Records a send as send-message does (for an intercept that answers it with a fault after recording). @param {Json} body */
		record(body) {
			state.counts.sends++;
			return record(state, body);
		},
		/** Adds a message the phone received from a customer. @param {Json} fields */
		receive(fields = {}) {
			const message = record(state, { to: FROM, content: 'Hello' });
			return Object.assign(message, { type: 'received', status: 'received', from_phone_number: '+4915100000001', to_phone_number: FROM, ...fields });
		},
		report: printFigures,
		async close() {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

module.exports = { startSmsGateway, printFigures, SMS_TOKEN: TOKEN, SMS_INSTANCE: INSTANCE, SMS_FROM: FROM };
