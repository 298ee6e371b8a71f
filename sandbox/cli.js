// @ts-check
'use strict';
// The command line: `node sandbox/cli.js [options]` (or `npm run sandbox`). Bad flags print an
// error and exit with code 2; Ctrl-C or SIGTERM stops it. `node sandbox/cli.js simulate …` talks
// to a running sandbox instead (cli-simulate.js).
const { simulateMain } = require('./cli-simulate');
const { DEFAULT_PICTURE_TTL_MS, DEFAULT_PROCESSING_DELAY_MS, DEFAULT_RATE_LIMIT_WINDOW_MS, DEFAULT_RESTART_DELAY_MS, DEFAULT_SMS_DELIVERY_DELAY_MS, DEFAULT_SMS_SEND_DELAY_MS, DEFAULT_WEBHOOK_USER_ID, PLANS, webhookUrl } = require('./config');
const { FAULT_KINDS, FAULT_PHASES, normalizeFaults } = require('./faults');
const { DEFAULT_SEED, DEFAULT_SIZE } = require('./instances');
const { NOT_ON_WHATSAPP_SUFFIX } = require('./messages');
const { API_BASE_PATH, DEFAULT_INSTANCE, DEFAULT_TOKEN, startSandbox } = require('./server');

/** @typedef {import('./server').SandboxOptions} SandboxOptions */

const USAGE = `Usage: node sandbox/cli.js [options]
       node sandbox/cli.js simulate <kind> [options]   (a customer's action, sent to a running
                                                        sandbox; simulate --help for the kinds)

Local stand-in for the Hypersender APIs, all on one origin:
  WhatsApp ${API_BASE_PATH}/{instance}: contacts (contacts/get-all, /get, /upsert,
    /profile-picture), queued messages (send-text, send-text-safe, send-image, send-video,
    send-file, send-voice, send-location, send-contact-card, send-poll, send-link-custom-preview),
    queued actions (forward-message, react-to-message, star-message, delete-message, read-chat,
    send-seen, start-typing, stop-typing) and queued-requests/{uuid};
  Enterprise: ${API_BASE_PATH}/instances, ${API_BASE_PATH}/create-instance, and
    /{instance}/health, /restart, /request-new-qr-code (rate-limited like the real API);
  OTP /api/otp/v2/{instance}: request-code, validate-code, generate-link;
  SMS /api/sms/v2/{instance}: send-message, messages, delete-message, message-threads,
    edit-message-thread, delete-message-thread, heartbeats.
Webhook events (message.any and message.ack for each send, the SMS gateway's message.phone.* and
phone.heartbeat.*, and whatever simulate delivers) are POSTed to --webhook-url.

Options:
  --port N                  port on 127.0.0.1 (default 8787; 0 = any free port)
  --media-port N            port of the media host, which serves the media of simulated incoming
                            messages without auth (default 0 = any free port; printed at start
                            unless --port is 0)
  --size N                  contacts in the main instance (default ${DEFAULT_SIZE})
  --seed N                  seed of the generated contacts (default ${DEFAULT_SEED})
  --token TEXT              accepted bearer token (default ${DEFAULT_TOKEN})
  --instance ID             id of the main instance (default ${DEFAULT_INSTANCE})
  --extra-instance ID:SIZE  another instance with SIZE contacts, seeds seed+1, seed+2... (repeatable)
  --latency MS              delay added to every API request (default 0)
  --fault-rate R            share of API requests that fail, 0..1 (default 0)
  --fault-kinds LIST        comma-separated, from ${FAULT_KINDS.join(',')} (default all)
  --fault-seed N            seed of the fault sequence (default 1)
  --fault-phase WHEN        before (the fault replaces the work), after (the work is done,
                            e.g. an upsert applied, then the fault answers) or both (each fault
                            one or the other, half and half) (default before)
  --retry-after S           Retry-After seconds sent with 429 (default 1)
  --fault-routes LIST       faults strike only these routes, comma-separated <family>/<route>
                            names or prefixes ending in *: sms/send-message, whatsapp/send-*,
                            otp/* (default: every route)
  --max-page N              requests with limit > N fail (a big page timing out)
  --max-page-status CODE    status of those failures (default 504)
  --endless                 every page is full, forever (a broken server)
  --upsert-delay MS         an upsert shows in Get and get-all only MS later (default 0)
  --upsert-calls N          an upsert is applied only at the Nth identical call for a chat (default 1)
  --picture-ttl MS          profile-picture URLs expire after MS (default ${DEFAULT_PICTURE_TTL_MS})
  --processing-delay MS     a queued request (send-*, actions) is done MS after it was accepted,
                            in order per instance (default ${DEFAULT_PROCESSING_DELAY_MS})
  --safe-delay MS           extra processing time of send-text-safe (default 0)
  --not-on-whatsapp LIST    comma-separated phone numbers (digits) that are not on WhatsApp; besides
                            these, numbers ending in ${NOT_ON_WHATSAPP_SUFFIX} that are no contact of the instance
  --webhook-url URL         POST webhook events there (default: none, no delivery)
  --webhook-secret TEXT     sent with every delivery as Authorization: Bearer TEXT (default: none)
  --webhook-auth-style S    bearer (Authorization: Bearer TEXT) or raw (Authorization: TEXT)
  --webhook-user-id ID      the x-userId header and userId (default ${DEFAULT_WEBHOOK_USER_ID})
  --plan PLAN               subscribed or trial (trial: send-link-custom-preview answers 403)
                            (default subscribed)
  --rate-limit-window MS    the window of the enterprise routes' limits (default
                            ${DEFAULT_RATE_LIMIT_WINDOW_MS}: create-instance and restart 5, health 10,
                            request-new-qr-code 1 per minute)
  --no-rate-limits          no rate limits at all
  --restart-delay MS        a restarted instance is STARTING for MS (default ${DEFAULT_RESTART_DELAY_MS})
  --sms-send-delay MS       an SMS is pending for MS before the phone sends it (default ${DEFAULT_SMS_SEND_DELAY_MS})
  --sms-delivery-delay MS   and delivered MS after that (default ${DEFAULT_SMS_DELIVERY_DELAY_MS})
  --verbose                 log one line per request (and per webhook delivery)
  --help                    show this help
`;

const VALUE_FLAGS = new Set([
	'port', 'media-port', 'size', 'seed', 'token', 'instance', 'extra-instance', 'latency', 'fault-rate', 'fault-kinds',
	'fault-seed', 'fault-phase', 'retry-after', 'max-page', 'max-page-status', 'upsert-delay', 'upsert-calls', 'picture-ttl',
	'processing-delay', 'safe-delay', 'not-on-whatsapp', 'webhook-url', 'webhook-secret', 'webhook-auth-style', 'webhook-user-id',
	'fault-routes', 'plan', 'rate-limit-window', 'restart-delay', 'sms-send-delay', 'sms-delivery-delay',
]);
const SWITCH_FLAGS = new Set(['endless', 'verbose', 'help', 'no-rate-limits']);

class UsageError extends Error {}

/**
 * @param {string} flag
 * @param {string} text
 * @param {{ integer?: boolean, min?: number, max?: number }} [bounds]
 */
function parseNumber(flag, text, { integer = false, min = -Infinity, max = Infinity } = {}) {
	const value = Number(text);
	if (text.trim() === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value < min || value > max) {
		const range = max === Infinity ? `>= ${min}` : `from ${min} to ${max}`;
		throw new UsageError(`--${flag} must be ${integer ? 'an integer' : 'a number'} ${range}, got "${text}"`);
	}
	return value;
}

/**
 * The --fault-routes list, checked as configure() checks it; null when not given.
 * @param {string | undefined} value
 * @returns {string[] | null}
 */
function faultRoutes(value) {
	if (value === undefined) return null;
	try {
		return normalizeFaults({ routes: value }).routes;
	} catch (error) {
		throw new UsageError(`--fault-routes: ${error.message.replace(/^faults\.routes /, '')}`);
	}
}

/**
 * The flags given (name -> value, or true for a switch) and the --extra-instance specs.
 * @param {string[]} argv
 */
function readFlags(argv) {
	/** @type {Record<string, string | boolean | undefined>} */
	const flags = {};
	/** @type {string[]} */
	const extraInstances = [];
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
			if (name === 'extra-instance') extraInstances.push(value);
			else flags[name] = value;
		} else {
			throw new UsageError(`unknown option --${name}`);
		}
	}
	return { flags, extraInstances };
}

/**
 * Turns command-line arguments into startSandbox() options; throws UsageError on anything unexpected.
 * @param {string[]} argv
 * @returns {{ help: true } | { help?: undefined, instanceId: string, options: SandboxOptions }}
 */
function parseArgs(argv) {
	const { flags, extraInstances } = readFlags(argv);
	if (flags.help) return { help: true };
	/** @param {string} name */
	const text = (name) => /** @type {string | undefined} */ (flags[name]);
	/**
	 * @param {string} name
	 * @param {number} fallback
	 * @param {{ integer?: boolean, min?: number, max?: number }} [bounds]
	 */
	const number = (name, fallback, bounds) => {
		const value = text(name);
		return value === undefined ? fallback : parseNumber(name, value, bounds);
	};

	const seed = number('seed', DEFAULT_SEED, { integer: true });
	const instanceId = text('instance') ?? DEFAULT_INSTANCE;
	/** @type {Record<string, { size: number, seed: number }>} */
	const instances = { [instanceId]: { size: number('size', DEFAULT_SIZE, { integer: true, min: 0 }), seed } };
	extraInstances.forEach((spec, index) => {
		const separator = spec.lastIndexOf(':');
		if (separator <= 0) throw new UsageError(`--extra-instance must be ID:SIZE, got "${spec}"`);
		instances[spec.slice(0, separator)] = {
			size: parseNumber('extra-instance', spec.slice(separator + 1), { integer: true, min: 0 }),
			// Each instance gets its own contacts, so a client mixing up instances shows.
			seed: seed + index + 1,
		};
	});
	const kinds = text('fault-kinds')?.split(',') ?? FAULT_KINDS;
	for (const kind of kinds) {
		if (!FAULT_KINDS.includes(kind)) throw new UsageError(`--fault-kinds: unknown kind "${kind}"; known: ${FAULT_KINDS.join(',')}`);
	}
	const phase = text('fault-phase') ?? 'before';
	if (!FAULT_PHASES.includes(phase)) throw new UsageError(`--fault-phase must be ${FAULT_PHASES.join(' or ')}, got "${phase}"`);
	const faults = {
		rate: number('fault-rate', 0, { min: 0, max: 1 }),
		kinds,
		seed: number('fault-seed', 1, { integer: true }),
		retryAfter: number('retry-after', 1, { min: 0 }),
		phase: /** @type {'before' | 'after' | 'both'} */ (phase),
		routes: faultRoutes(text('fault-routes')),
	};
	const plan = text('plan') ?? 'subscribed';
	if (!PLANS.includes(plan)) throw new UsageError(`--plan must be ${PLANS.join(' or ')}, got "${plan}"`);
	if (flags.token === '') throw new UsageError('--token must not be empty');
	const maxPage = text('max-page');
	const notOnWhatsapp = text('not-on-whatsapp')?.split(',').map((phone) => phone.trim()).filter((phone) => phone !== '') ?? [];
	for (const phone of notOnWhatsapp) {
		if (!/^[0-9]+$/.test(phone)) throw new UsageError(`--not-on-whatsapp: "${phone}" is not a phone number (digits only)`);
	}
	const hookUrl = text('webhook-url');
	try {
		if (hookUrl !== undefined) webhookUrl('--webhook-url', hookUrl);
	} catch (error) {
		throw new UsageError(error.message);
	}
	if (flags['webhook-secret'] === '') throw new UsageError('--webhook-secret must not be empty');
	const authStyle = text('webhook-auth-style') ?? 'bearer';
	if (authStyle !== 'bearer' && authStyle !== 'raw') throw new UsageError(`--webhook-auth-style must be bearer or raw, got "${authStyle}"`);
	if (flags['webhook-user-id'] === '') throw new UsageError('--webhook-user-id must not be empty');
	return {
		instanceId,
		options: {
			port: number('port', 8787, { integer: true, min: 0, max: 65535 }),
			mediaPort: number('media-port', 0, { integer: true, min: 0, max: 65535 }),
			token: text('token') ?? DEFAULT_TOKEN,
			instances,
			latencyMs: number('latency', 0, { min: 0 }),
			faults,
			maxPageSize: maxPage === undefined ? undefined : parseNumber('max-page', maxPage, { integer: true, min: 1 }),
			maxPageStatus: number('max-page-status', 504, { integer: true, min: 400, max: 599 }),
			endless: Boolean(flags.endless),
			upsertDelayMs: number('upsert-delay', 0, { min: 0 }),
			upsertCallsNeeded: number('upsert-calls', 1, { integer: true, min: 1 }),
			pictureTtlMs: number('picture-ttl', DEFAULT_PICTURE_TTL_MS, { min: 0 }),
			processingDelayMs: number('processing-delay', DEFAULT_PROCESSING_DELAY_MS, { min: 0 }),
			safeDelayMs: number('safe-delay', 0, { min: 0 }),
			notOnWhatsapp,
			webhookUrl: hookUrl ?? null,
			webhookSecret: text('webhook-secret') ?? null,
			webhookAuthStyle: authStyle,
			webhookUserId: text('webhook-user-id') ?? DEFAULT_WEBHOOK_USER_ID,
			plan: /** @type {'subscribed' | 'trial'} */ (plan),
			rateLimits: !flags['no-rate-limits'],
			rateLimitWindowMs: number('rate-limit-window', DEFAULT_RATE_LIMIT_WINDOW_MS, { min: 1 }),
			restartDelayMs: number('restart-delay', DEFAULT_RESTART_DELAY_MS, { min: 0 }),
			smsSendDelayMs: number('sms-send-delay', DEFAULT_SMS_SEND_DELAY_MS, { min: 0 }),
			smsDeliveryDelayMs: number('sms-delivery-delay', DEFAULT_SMS_DELIVERY_DELAY_MS, { min: 0 }),
			quiet: !flags.verbose,
		},
	};
}

/**
 * What else the sandbox serves on its origin: the other API families and the controls.
 * @param {{ url: string, baseUrl: string }} sandbox
 * @param {string} instanceId
 * @param {SandboxOptions} options
 */
function familyLines(sandbox, instanceId, options) {
	const instance = encodeURIComponent(instanceId);
	const limits = options.rateLimits === false ? 'no rate limits' : `rate limits per ${options.rateLimitWindowMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS} ms`;
	return [
		`Instances ${sandbox.baseUrl}/instances, /create-instance, /${instance}/health, /restart, /request-new-qr-code (${limits}; plan ${options.plan ?? 'subscribed'})`,
		`OTP       ${sandbox.url}/api/otp/v2/${instance}/request-code, /validate-code, /generate-link`,
		`SMS       ${sandbox.url}/api/sms/v2/${instance}/send-message, /messages, /message-threads, /heartbeats, … (an SMS is sent after ${options.smsSendDelayMs ?? DEFAULT_SMS_SEND_DELAY_MS} ms)`,
		`Controls  ${sandbox.url}/__sandbox/… and simulate (node sandbox/cli.js simulate --help), see sandbox/README.md`,
		'',
	].join('\n');
}

/** @param {string[]} argv */
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
	// On --port 0 (a free port) the start line stays the only one, as scripts that start the sandbox
	// that way read it; GET /__sandbox/media-host answers the media host's URL too.
	if (options.port !== 0 || options.mediaPort !== 0 || !options.quiet) {
		process.stdout.write(`Media host (media of simulated incoming messages, no auth) on ${sandbox.mediaUrl}\n`);
		process.stdout.write(familyLines(sandbox, instanceId, options));
	}
	// The secret is never printed.
	if (options.webhookUrl) process.stdout.write(`Webhook events go to ${options.webhookUrl}${options.webhookSecret ? ' (with the secret as Authorization)' : ''}\n`);
	const stop = () => sandbox.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

/**
 * Runs the command line; exits the process on failure.
 * @param {string[]} argv
 */
function run(argv) {
	if (argv[0] === 'simulate') {
		simulateMain(argv.slice(1)).then((code) => {
			process.exitCode = code;
		}, (error) => {
			process.stderr.write(`sandbox simulate: ${error.stack}\n`);
			process.exitCode = 1;
		});
		return;
	}
	main(argv).catch((error) => {
		process.stderr.write(`sandbox: ${error.stack}\n`);
		process.exit(1);
	});
}

if (require.main === module) run(process.argv.slice(2));

module.exports = { USAGE, UsageError, main, parseArgs, run };
