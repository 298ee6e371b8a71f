'use strict';
// Local stand-in for the Hypersender WhatsApp API `GET /{instance}/contacts/get-all`, with seeded
// faults for testing clients. Only Node built-ins, so it runs anywhere Node 20+ runs.
const http = require('node:http');
const { createRandom, generateContacts, sortContacts, SORT_KEYS, SORT_ORDERS } = require('./contacts');

const DEFAULT_TOKEN = 'sandbox-token';
const DEFAULT_INSTANCE = '9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65';
const API_BASE_PATH = '/api/whatsapp/v2';
const CONTROL_PATH = '/__sandbox';
const LOOPBACK = '127.0.0.1';
const DEFAULT_SIZE = 2500;
const DEFAULT_SEED = 42;
const FAULT_KINDS = ['429', '500', '502', '503', '504', 'reset', 'html', 'empty', 'hang'];
const MAX_CONTROL_BODY_BYTES = 1024 * 1024;
// PHP's FILTER_VALIDATE_INT, which Laravel's `integer` rule uses: optional sign, no leading zeros.
const INTEGER_PATTERN = /^[+-]?(0|[1-9][0-9]*)$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const HTML_BODIES = {
	502: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
	504: '<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
};
const CAPTIVE_PORTAL_HTML =
	'<!DOCTYPE html><html><head><title>Sign in to the network</title></head><body><h1>Welcome</h1><p>Please accept the terms of use to continue.</p></body></html>';
const JSON_ERROR_MESSAGES = {
	429: 'Too Many Attempts.',
	500: 'Server Error',
	503: 'Service Unavailable',
};

function normalizeFaults(faults = {}) {
	const rate = faults.rate ?? 0;
	if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new Error(`faults.rate must be a number from 0 to 1, got ${rate}`);
	const rawKinds = faults.kinds ?? FAULT_KINDS;
	const kinds = (typeof rawKinds === 'string' ? rawKinds.split(',') : rawKinds).map((kind) => String(kind).trim());
	if (kinds.length === 0) throw new Error('faults.kinds must name at least one kind');
	for (const kind of kinds) {
		if (!FAULT_KINDS.includes(kind)) throw new Error(`unknown fault kind "${kind}"; known: ${FAULT_KINDS.join(', ')}`);
	}
	const seed = faults.seed ?? 1;
	if (!Number.isInteger(seed)) throw new Error(`faults.seed must be an integer, got ${seed}`);
	const retryAfter = faults.retryAfter ?? 1;
	if (typeof retryAfter !== 'number' || !(retryAfter >= 0)) throw new Error(`faults.retryAfter must be a number >= 0, got ${retryAfter}`);
	return { rate, kinds, seed, retryAfter };
}

function checkNonNegativeNumber(name, value) {
	if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new Error(`${name} must be a number >= 0, got ${value}`);
	return value;
}

function checkMaxPageSize(value) {
	if (value === null || value === undefined) return null;
	if (!Number.isInteger(value) || value < 1) throw new Error(`maxPageSize must be a positive integer or null, got ${value}`);
	return value;
}

function checkStatus(value) {
	if (!Number.isInteger(value) || value < 400 || value > 599) throw new Error(`maxPageStatus must be an HTTP error status (400-599), got ${value}`);
	return value;
}

/**
 * One instance: its contacts and sorted copies cached per sort key and order. Sorting 100k
 * contacts takes about 150 ms, far too slow per page, so each order is sorted once and
 * re-sorted only after the list changes.
 */
class Instance {
	constructor(contacts) {
		this.replace(contacts);
	}

	replace(contacts) {
		if (!Array.isArray(contacts)) throw new Error('contacts must be an array');
		this.source = contacts;
		this.version = 0;
		this.sorted = new Map();
		// Callers get a proxy so that push/splice/index assignment through sandbox.contacts()
		// invalidate the caches; edits to a contact object itself need setContacts().
		this.handle = new Proxy(contacts, {
			set: (target, property, value) => {
				this.version++;
				return Reflect.set(target, property, value);
			},
			deleteProperty: (target, property) => {
				this.version++;
				return Reflect.deleteProperty(target, property);
			},
		});
	}

	list(sortBy, sortOrder) {
		const cacheKey = `${sortBy}:${sortOrder}`;
		const cached = this.sorted.get(cacheKey);
		// The length check also catches pushes made on the original array rather than the proxy.
		if (cached && cached.version === this.version && cached.length === this.source.length) return cached.list;
		const list = sortContacts(this.source, sortBy, sortOrder);
		this.sorted.set(cacheKey, { version: this.version, length: this.source.length, list });
		return list;
	}
}

function instanceFromOptions(options = {}) {
	if (Array.isArray(options.contacts)) return new Instance(options.contacts);
	return new Instance(generateContacts(options.size ?? DEFAULT_SIZE, options.seed ?? DEFAULT_SEED));
}

/** Laravel-style validation of the query; returns { values } or { errors } keyed by field. */
function validateQuery(query) {
	const errors = {};
	const fail = (field, message) => (errors[field] ??= []).push(message);
	// Laravel trims strings and turns empty ones into null, so `limit=` means "use the default".
	const present = (value) => (value === null ? null : value.trim() || null);

	const limitText = present(query.limit);
	const offsetText = present(query.offset);
	const sortBy = present(query.sort_by) ?? 'name';
	const sortOrder = present(query.sort_order) ?? 'asc';
	let limit = 100;
	let offset = 0;

	if (limitText !== null) {
		if (!isInteger(limitText)) fail('limit', 'The limit field must be an integer.');
		else {
			limit = Number(limitText);
			if (limit < 1) fail('limit', 'The limit field must be at least 1.');
			else if (limit > 1000) fail('limit', 'The limit field must not be greater than 1000.');
		}
	}
	if (offsetText !== null) {
		if (!isInteger(offsetText)) fail('offset', 'The offset field must be an integer.');
		else {
			offset = Number(offsetText);
			if (offset < 0) fail('offset', 'The offset field must be at least 0.');
		}
	}
	if (!SORT_KEYS.includes(sortBy)) fail('sort_by', 'The selected sort by is invalid.');
	if (!SORT_ORDERS.includes(sortOrder)) fail('sort_order', 'The selected sort order is invalid.');

	if (Object.keys(errors).length > 0) return { errors };
	return { values: { limit, offset, sortBy, sortOrder } };
}

function isInteger(text) {
	if (!INTEGER_PATTERN.test(text)) return false;
	const value = BigInt(text);
	return value <= INT64_MAX && value >= INT64_MIN;
}

function validationBody(errors) {
	const messages = Object.values(errors).flat();
	const more = messages.length - 1;
	const suffix = more === 0 ? '' : ` (and ${more} more error${more === 1 ? '' : 's'})`;
	return { message: `${messages[0]}${suffix}`, errors, statusCode: 422 };
}

/** Query values as sent (last one wins for repeated keys, as in PHP), or null when absent. */
function rawQuery(search) {
	const params = new URLSearchParams(search);
	const last = (key) => {
		const values = params.getAll(key);
		return values.length === 0 ? null : values[values.length - 1];
	};
	return { limit: last('limit'), offset: last('offset'), sort_by: last('sort_by'), sort_order: last('sort_order') };
}

function authorizationState(header, token) {
	if (!header) return 'missing';
	const match = /^Bearer\s+(.+)$/i.exec(header.trim());
	return match && match[1] === token ? 'present' : 'wrong';
}

/** Instance segment of `/{instance}/contacts/get-all` under the API base path, or undefined for other paths. */
function matchContactsRoute(pathname) {
	if (!pathname.startsWith(`${API_BASE_PATH}/`)) return undefined;
	const segments = pathname.slice(API_BASE_PATH.length + 1).split('/');
	if (segments.length !== 3 || segments[0] === '' || segments[1] !== 'contacts' || segments[2] !== 'get-all') return undefined;
	try {
		return decodeURIComponent(segments[0]);
	} catch {
		// A malformed escape cannot name any instance; keep it raw so it simply is not found.
		return segments[0];
	}
}

function sendJson(res, status, body, headers = {}) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json',
		'Content-Length': Buffer.byteLength(text),
		'Cache-Control': 'no-cache, private',
		...headers,
	});
	res.end(text);
}

function sendHtml(res, status, html) {
	res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(html) });
	res.end(html);
}

/** Error status as a gateway or the app would answer it: nginx HTML for 502/504, Laravel JSON otherwise. */
function sendErrorStatus(res, status, retryAfter) {
	if (HTML_BODIES[status]) return sendHtml(res, status, HTML_BODIES[status]);
	const headers = status === 429 ? { 'Retry-After': String(retryAfter) } : {};
	return sendJson(res, status, { message: JSON_ERROR_MESSAGES[status] ?? http.STATUS_CODES[status] ?? 'Error' }, headers);
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_CONTROL_BODY_BYTES) {
				reject(new Error('request body too large'));
				req.destroy();
			} else chunks.push(chunk);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/**
 * @typedef {object} RequestLogEntry One API request as received; the token itself is never kept.
 * @property {string} method
 * @property {string} path
 * @property {string | null} instance decoded instance segment, null when the path is not the contacts route
 * @property {{ limit: string | null, offset: string | null, sort_by: string | null, sort_order: string | null }} query raw values, null when absent
 * @property {'present' | 'missing' | 'wrong'} authorization
 * @property {string | null} accept
 * @property {number | null} status null until answered, and for faults that never answer
 * @property {string | null} fault
 * @property {number} at arrival time, ms since the epoch
 */

/** Starts the sandbox on 127.0.0.1 and resolves once it listens. */
async function startSandbox(options = {}) {
	const host = options.host ?? LOOPBACK;
	if (host !== LOOPBACK && host !== 'localhost') throw new Error(`the sandbox only binds to ${LOOPBACK}, refusing host "${host}"`);
	const port = options.port ?? 0;
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port must be an integer from 0 to 65535, got ${port}`);
	const token = options.token ?? DEFAULT_TOKEN;
	if (typeof token !== 'string' || token === '') throw new Error('token must be a non-empty string');
	const quiet = options.quiet ?? true;

	const instances = new Map();
	for (const [id, instanceOptions] of Object.entries(options.instances ?? { [DEFAULT_INSTANCE]: {} })) {
		instances.set(id, instanceFromOptions(instanceOptions));
	}

	const config = {
		latencyMs: 0,
		faults: normalizeFaults(),
		maxPageSize: null,
		maxPageStatus: 504,
		endless: false,
	};
	let faultRandom = createRandom(config.faults.seed);
	/** @type {RequestLogEntry[]} */
	const requests = [];
	const logEntries = new WeakMap();
	const pendingTimers = new Set();

	function getInstance(id) {
		const instance = instances.get(id);
		if (!instance) throw new Error(`unknown instance "${id}"`);
		return instance;
	}

	function configure(changes = {}) {
		// Validate everything before applying anything, so a bad call changes nothing.
		const next = { ...config };
		if (changes.latencyMs !== undefined) next.latencyMs = checkNonNegativeNumber('latencyMs', changes.latencyMs);
		if (changes.faults !== undefined) next.faults = normalizeFaults(changes.faults ?? {});
		if ('maxPageSize' in changes) next.maxPageSize = checkMaxPageSize(changes.maxPageSize);
		if (changes.maxPageStatus !== undefined) next.maxPageStatus = checkStatus(changes.maxPageStatus);
		if (changes.endless !== undefined) next.endless = Boolean(changes.endless);
		Object.assign(config, next);
		if (changes.faults !== undefined) faultRandom = createRandom(config.faults.seed);
		return { ...config, faults: { ...config.faults, kinds: [...config.faults.kinds] } };
	}

	function drawFault() {
		const { rate, kinds } = config.faults;
		if (rate === 0 || faultRandom() >= rate) return null;
		return kinds[Math.floor(faultRandom() * kinds.length)];
	}

	function delay(ms) {
		if (ms <= 0) return undefined;
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				pendingTimers.delete(timer);
				resolve();
			}, ms);
			pendingTimers.add(timer);
		});
	}

	function log(line) {
		if (!quiet) process.stdout.write(`${line}\n`);
	}

	/** Produces the response for a contacts request; returns false when the fault means "no response at all". */
	function respondContacts(req, res, entry) {
		if (entry.authorization !== 'present') return sendJson(res, 401, { message: 'Unauthenticated.' });

		const fault = drawFault();
		entry.fault = fault;
		switch (fault) {
			case null:
				break;
			case 'reset':
				// A TCP RST, so clients see ECONNRESET rather than a clean close.
				if (typeof req.socket.resetAndDestroy === 'function') req.socket.resetAndDestroy();
				else req.socket.destroy();
				return false;
			case 'hang':
				return false;
			case 'html':
				return sendHtml(res, 200, CAPTIVE_PORTAL_HTML);
			case 'empty':
				res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 0 });
				return res.end();
			default:
				return sendErrorStatus(res, Number(fault), config.faults.retryAfter);
		}

		const instance = instances.get(entry.instance);
		if (!instance) return sendJson(res, 404, { message: 'Instance not found.' });

		const validation = validateQuery(entry.query);
		if (validation.errors) return sendJson(res, 422, validationBody(validation.errors));
		const { limit, offset, sortBy, sortOrder } = validation.values;

		if (config.maxPageSize !== null && limit > config.maxPageSize) {
			entry.fault = 'maxPage';
			return sendErrorStatus(res, config.maxPageStatus, config.faults.retryAfter);
		}

		const sorted = instance.list(sortBy, sortOrder);
		let data;
		if (config.endless) {
			data = [];
			// A broken server: every page is full, so a client that trusts "short page = last page" never stops.
			for (let i = 0; i < limit && sorted.length > 0; i++) data.push(sorted[i % sorted.length]);
		} else {
			data = sorted.slice(offset, offset + limit);
		}
		return sendJson(res, 200, { message: 'Contacts retrieved successfully.', data });
	}

	async function handleApi(req, res, pathname, search) {
		const instanceId = matchContactsRoute(pathname);
		const entry = {
			method: req.method,
			path: pathname,
			instance: instanceId ?? null,
			query: rawQuery(search),
			authorization: authorizationState(req.headers.authorization, token),
			accept: req.headers.accept ?? null,
			status: null,
			fault: null,
			at: Date.now(),
		};
		requests.push(entry);
		logEntries.set(res, entry);
		res.on('finish', () => {
			entry.status = res.statusCode;
		});

		if (instanceId === undefined) {
			return sendJson(res, 404, { message: `The route ${pathname.replace(/^\//, '')} could not be found.` });
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			return sendJson(
				res,
				405,
				{ message: `The ${req.method} method is not supported for route ${pathname.replace(/^\//, '')}. Supported methods: GET, HEAD.` },
				{ Allow: 'GET, HEAD' },
			);
		}

		await delay(config.latencyMs);
		if (sandbox.onRequest) await sandbox.onRequest(entry);
		if (res.destroyed || req.socket.destroyed) return;
		if (respondContacts(req, res, entry) === false) log(`${req.method} ${req.url} -> no response (fault ${entry.fault})`);
	}

	async function handleControl(req, res, pathname, search) {
		const route = pathname.slice(CONTROL_PATH.length);
		if (req.method === 'GET' && route === '/health') return sendJson(res, 200, { ok: true });
		if (req.method === 'GET' && route === '/requests') return sendJson(res, 200, { count: requests.length, requests });
		if (req.method === 'POST' && route === '/reset') {
			requests.length = 0;
			return sendJson(res, 200, { ok: true });
		}
		if (req.method === 'POST' && route === '/config') {
			let changes;
			try {
				const body = await readBody(req);
				changes = body.trim() === '' ? {} : JSON.parse(body);
			} catch (error) {
				return sendJson(res, 400, { message: `Invalid JSON body: ${error.message}` });
			}
			if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) {
				return sendJson(res, 400, { message: 'The body must be a JSON object, the same as configure() takes.' });
			}
			try {
				return sendJson(res, 200, { ok: true, config: configure(changes) });
			} catch (error) {
				return sendJson(res, 400, { message: error.message });
			}
		}
		if (req.method === 'GET' && route.startsWith('/contacts/')) {
			let id;
			try {
				id = decodeURIComponent(route.slice('/contacts/'.length));
			} catch {
				return sendJson(res, 404, { message: 'Instance not found.' });
			}
			const params = new URLSearchParams(search);
			const sortBy = params.get('sort_by') || 'name';
			const sortOrder = params.get('sort_order') || 'asc';
			if (!instances.has(id)) return sendJson(res, 404, { message: 'Instance not found.' });
			if (!SORT_KEYS.includes(sortBy) || !SORT_ORDERS.includes(sortOrder)) {
				return sendJson(res, 422, { message: 'sort_by must be id or name and sort_order asc or desc.' });
			}
			return sendJson(res, 200, { data: instances.get(id).list(sortBy, sortOrder) });
		}
		return sendJson(res, 404, { message: `No sandbox control endpoint ${req.method} ${pathname}.` });
	}

	configure({
		latencyMs: options.latencyMs,
		faults: options.faults,
		maxPageSize: options.maxPageSize,
		maxPageStatus: options.maxPageStatus,
		endless: options.endless,
	});

	const server = http.createServer((req, res) => {
		const queryStart = req.url.indexOf('?');
		const pathname = queryStart === -1 ? req.url : req.url.slice(0, queryStart);
		const search = queryStart === -1 ? '' : req.url.slice(queryStart + 1);
		const isControl = pathname === CONTROL_PATH || pathname.startsWith(`${CONTROL_PATH}/`);
		const handler = isControl ? handleControl : handleApi;
		const startedAt = Date.now();
		res.on('finish', () => {
			const fault = logEntries.get(res)?.fault;
			log(`${req.method} ${req.url} -> ${res.statusCode}${fault ? ` (fault ${fault})` : ''} ${Date.now() - startedAt}ms`);
		});
		handler(req, res, pathname, search).catch((error) => {
			if (!res.headersSent && !res.destroyed) sendJson(res, 500, { message: `Sandbox error: ${error.message}` });
			log(`sandbox error: ${error.stack}`);
		});
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, LOOPBACK, () => {
			server.off('error', reject);
			resolve();
		});
	});

	const actualPort = server.address().port;
	const url = `http://${LOOPBACK}:${actualPort}`;
	let closing;

	const sandbox = {
		url,
		baseUrl: `${url}${API_BASE_PATH}`,
		token,
		port: actualPort,
		requests,
		/** @type {undefined | ((entry: RequestLogEntry) => void | Promise<void>)} */
		onRequest: undefined,
		resetRequests() {
			requests.length = 0;
		},
		contacts(instanceId) {
			return getInstance(instanceId).handle;
		},
		expected(instanceId, sortBy = 'name', sortOrder = 'asc') {
			return getInstance(instanceId).list(sortBy, sortOrder).slice();
		},
		setContacts(instanceId, list) {
			const contacts = instances.get(instanceId)?.handle === list ? instances.get(instanceId).source : list;
			if (instances.has(instanceId)) instances.get(instanceId).replace(contacts);
			else instances.set(instanceId, new Instance(contacts));
		},
		addInstance(id, instanceOptions = {}) {
			instances.set(id, instanceFromOptions(instanceOptions));
		},
		configure,
		close() {
			closing ??= new Promise((resolve) => {
				for (const timer of pendingTimers) clearTimeout(timer);
				pendingTimers.clear();
				server.close(() => resolve());
				// Hanging requests and idle keep-alive sockets would otherwise hold close() open.
				server.closeAllConnections();
			});
			return closing;
		},
	};

	return sandbox;
}

const USAGE = `Usage: node sandbox/server.js [options]

Local stand-in for the Hypersender WhatsApp API (GET ${API_BASE_PATH}/{instance}/contacts/get-all).

Options:
  --port N                  port on 127.0.0.1 (default 8787; 0 = any free port)
  --size N                  contacts in the main instance (default ${DEFAULT_SIZE})
  --seed N                  seed of the generated contacts (default ${DEFAULT_SEED})
  --token TEXT              accepted bearer token (default ${DEFAULT_TOKEN})
  --instance ID             id of the main instance (default ${DEFAULT_INSTANCE})
  --extra-instance ID:SIZE  another instance with SIZE contacts, seeds seed+1, seed+2... (repeatable)
  --latency MS              delay added to every API request (default 0)
  --fault-rate R            share of API requests that fail, 0..1 (default 0)
  --fault-kinds LIST        comma-separated, from ${FAULT_KINDS.join(',')} (default all)
  --fault-seed N            seed of the fault sequence (default 1)
  --retry-after S           Retry-After seconds sent with 429 (default 1)
  --max-page N              requests with limit > N fail (a big page timing out)
  --max-page-status CODE    status of those failures (default 504)
  --endless                 every page is full, forever (a broken server)
  --verbose                 log one line per request
  --help                    show this help
`;

const VALUE_FLAGS = new Set([
	'port', 'size', 'seed', 'token', 'instance', 'extra-instance', 'latency', 'fault-rate',
	'fault-kinds', 'fault-seed', 'retry-after', 'max-page', 'max-page-status',
]);
const SWITCH_FLAGS = new Set(['endless', 'verbose', 'help']);

class UsageError extends Error {}

function parseNumber(flag, text, { integer = false, min = -Infinity, max = Infinity } = {}) {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
		const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
		throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'} ${range}, got "${text}"`);
	}
	return value;
}

/** Turns command-line arguments into startSandbox() options; throws UsageError on anything unexpected. */
function parseArgs(argv) {
	const flags = { 'extra-instance': [] };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
		if (!match) throw new UsageError(`unexpected argument "${arg}"`);
		const [, name, inlineValue] = match;
		if (SWITCH_FLAGS.has(name)) {
			if (inlineValue !== undefined) throw new UsageError(`--${name} takes no value`);
			flags[name] = true;
		} else if (VALUE_FLAGS.has(name)) {
			const value = inlineValue ?? argv[++i];
			if (value === undefined) throw new UsageError(`--${name} needs a value`);
			if (name === 'extra-instance') flags[name].push(value);
			else flags[name] = value;
		} else {
			throw new UsageError(`unknown option --${name}`);
		}
	}
	if (flags.help) return { help: true };

	const seed = flags.seed === undefined ? DEFAULT_SEED : parseNumber('seed', flags.seed, { integer: true });
	const instanceId = flags.instance ?? DEFAULT_INSTANCE;
	const size = flags.size === undefined ? DEFAULT_SIZE : parseNumber('size', flags.size, { integer: true, min: 0 });
	const instances = { [instanceId]: { size, seed } };
	flags['extra-instance'].forEach((spec, index) => {
		const separator = spec.lastIndexOf(':');
		if (separator <= 0) throw new UsageError(`--extra-instance must be ID:SIZE, got "${spec}"`);
		instances[spec.slice(0, separator)] = {
			size: parseNumber('extra-instance', spec.slice(separator + 1), { integer: true, min: 0 }),
			// Each instance gets its own contacts, so a client mixing up instances shows.
			seed: seed + index + 1,
		};
	});
	const faults = {
		rate: flags['fault-rate'] === undefined ? 0 : parseNumber('fault-rate', flags['fault-rate'], { min: 0, max: 1 }),
		kinds: flags['fault-kinds'] === undefined ? FAULT_KINDS : flags['fault-kinds'].split(','),
		seed: flags['fault-seed'] === undefined ? 1 : parseNumber('fault-seed', flags['fault-seed'], { integer: true }),
		retryAfter: flags['retry-after'] === undefined ? 1 : parseNumber('retry-after', flags['retry-after'], { min: 0 }),
	};
	for (const kind of faults.kinds) {
		if (!FAULT_KINDS.includes(kind)) throw new UsageError(`--fault-kinds: unknown kind "${kind}"; known: ${FAULT_KINDS.join(',')}`);
	}
	if (flags.token === '') throw new UsageError('--token must not be empty');
	return {
		instanceId,
		options: {
			port: flags.port === undefined ? 8787 : parseNumber('port', flags.port, { integer: true, min: 0, max: 65535 }),
			token: flags.token ?? DEFAULT_TOKEN,
			instances,
			latencyMs: flags.latency === undefined ? 0 : parseNumber('latency', flags.latency, { min: 0 }),
			faults,
			maxPageSize: flags['max-page'] === undefined ? undefined : parseNumber('max-page', flags['max-page'], { integer: true, min: 1 }),
			maxPageStatus:
				flags['max-page-status'] === undefined ? 504 : parseNumber('max-page-status', flags['max-page-status'], { integer: true, min: 400, max: 599 }),
			endless: Boolean(flags.endless),
			quiet: !flags.verbose,
		},
	};
}

async function main(argv) {
	let parsed;
	try {
		parsed = parseArgs(argv);
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		process.stderr.write(`sandbox: ${error.message}\nRun with --help to see the options.\n`);
		process.exit(2);
	}
	if (parsed.help) {
		process.stdout.write(USAGE);
		return;
	}
	const { instanceId, options } = parsed;
	let sandbox;
	try {
		sandbox = await startSandbox(options);
	} catch (error) {
		process.stderr.write(`sandbox: cannot start: ${error.message}\n`);
		process.exit(1);
	}
	const count = sandbox.contacts(instanceId).length;
	process.stdout.write(
		`Hypersender sandbox listening on ${sandbox.baseUrl} (instance ${instanceId}, ${count} contacts, token ${sandbox.token})\n`,
	);
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

if (require.main === module) {
	main(process.argv.slice(2)).catch((error) => {
		process.stderr.write(`sandbox: ${error.stack}\n`);
		process.exit(1);
	});
}

module.exports = {
	startSandbox,
	generateContacts,
	sortContacts,
	DEFAULT_TOKEN,
	DEFAULT_INSTANCE,
	API_BASE_PATH,
	FAULT_KINDS,
};
