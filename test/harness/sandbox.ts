/** Typed access to the project's sandbox server (plain JavaScript, shared with the CLI). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sandboxModule = require('../../sandbox/server');

export interface SandboxContact {
	id: string;
	name?: string;
	pushname?: string;
}

/** One request as the sandbox received it; the token itself is never kept. */
export interface SandboxRequest {
	/** `api`: a request under the API base path; `picture`: a download from the picture CDN (/pps). */
	kind: 'api' | 'picture';
	method: string;
	path: string;
	/** Decoded instance segment (for pictures: the instance that issued the URL); null for unknown paths. */
	instance: string;
	query: { limit?: string; offset?: string; sort_by?: string; sort_order?: string; chat_id?: string };
	/** The chat id named (`chat_id` in the query for GET or the body for POST; `chatId` for the queued routes; the contact id for pictures); null when absent. */
	chat_id: string | null;
	/** The fields of the body (JSON, form or multipart) for routes that read one (POST, PUT, DELETE); a queued route's file part reads `{filename, mimetype, size, sha256}`; null otherwise. */
	body: Record<string, unknown> | null;
	authorization: 'present' | 'missing' | 'wrong';
	accept: string | null;
	/** Request headers, lower-case names; Authorization, Proxy-Authorization and Cookie values read `[redacted]`, and so does the token anywhere else. */
	headers: Record<string, string>;
	status: number;
	fault: string | null;
	/** Arrival time, ms since the epoch. */
	at: number;
}

export interface SandboxFaults {
	rate: number;
	kinds: string[];
	seed: number;
	retryAfter: number;
	/** `before`: the fault replaces the work; `after`: the work is done (an upsert applied), then the fault answers; `both`: each fault one or the other, half and half (seeded). */
	phase: 'before' | 'after' | 'both';
	/**
	 * The routes faults strike, as `<family>/<route>` names (`sms/send-message`, `whatsapp/contacts/get-all`)
	 * or prefixes ending in `*` (`whatsapp/send-*`, `otp/*`); null: every route. Other requests draw nothing.
	 */
	routes: string[] | null;
}

/** The settings configure() returns. */
export interface SandboxSettings {
	latencyMs: number;
	faults: SandboxFaults;
	maxPageSize: number | null;
	maxPageStatus: number;
	endless: boolean;
	/** An applied upsert shows in Get and get-all only this many ms later. */
	upsertDelayMs: number;
	/** An upsert is applied only at the Nth identical call for that chat. */
	upsertCallsNeeded: number;
	/** How long a profile-picture URL stays valid. */
	pictureTtlMs: number;
	/** A queued request (send-*, actions) is done this many ms after it was accepted, and never before the one accepted before it (per instance). */
	processingDelayMs: number;
	/** Added to processingDelayMs for send-text-safe. */
	safeDelayMs: number;
	/** Phone numbers (digits) not on WhatsApp, besides numbers ending in 0000 that are no contact of the instance. */
	notOnWhatsapp: string[];
	/** Where webhook events are POSTed (null: nowhere), unless the instance has its own URL. */
	webhookUrl: string | null;
	/** Sent as Authorization with every delivery; configure() shows it as `[redacted]` (and keeps the secret when given that back). */
	webhookSecret: string | null;
	/** `bearer`: `Authorization: Bearer <secret>`; `raw`: the bare secret. */
	webhookAuthStyle: 'bearer' | 'raw';
	/** The `x-userId` header and the envelope's `userId`. */
	webhookUserId: string;
	/** A delivery taking longer is given up (no retries); default 10000. */
	webhookTimeoutMs: number;
	/** `trial`: send-link-custom-preview answers 403 "This feature is only available for subscribed accounts." */
	plan: 'subscribed' | 'trial';
	/** Whether the documented per-minute limits apply (create-instance and restart 5, health 10, request-new-qr-code 1). */
	rateLimits: boolean;
	/** Their window; default 60000. */
	rateLimitWindowMs: number;
	/** How long a restarted instance shows STARTING; default 2000. */
	restartDelayMs: number;
	/** How long an SMS stays pending before the phone sends it; default 1000. */
	smsSendDelayMs: number;
	/** How long after being sent an SMS is delivered; default 1000. */
	smsDeliveryDelayMs: number;
}

/** The statuses GET /{instance}/health shows. */
export type InstanceStatus = 'STOPPED' | 'STARTING' | 'WORKING' | 'SCAN_QR_CODE' | 'FAILED' | 'PENDING';

/** What GET /{instance}/health answers. */
export interface SandboxInstanceHealth {
	instance_id: string;
	/** Laravel's date (`2025-01-21T18:41:43.000000Z`) while WORKING, else null. */
	connected_at: string | null;
	status: InstanceStatus;
}

/** An instance made through POST /create-instance, as createdInstances() lists it. */
export interface SandboxCreatedInstance {
	id: string;
	name: string;
	phone: string;
	status: InstanceStatus;
	webhook_url: string | null;
	/** `<n>|<40 letters and digits>`: works as the bearer token for this instance only. */
	access_token: string;
	created_at: string;
}

/** The envelope every webhook delivery carries. */
export interface WebhookEnvelope<P = Record<string, unknown>> {
	event: string;
	data: {
		/** `evt_<24 hex>` */
		id: string;
		event: string;
		metadata: unknown[];
		me: { id: string; pushName: string; lid: string };
		payload: P;
		instanceId: string;
		userId: string;
	};
}

/** One webhook delivery as webhookDeliveries() lists it, in the order they started. */
export interface WebhookDelivery {
	event: string;
	instanceId: string;
	eventId: string;
	url: string;
	/** Whether the secret was sent (never the secret itself). */
	authorization: 'present' | 'none';
	/** The receiver's status; null when no answer came. */
	status: number | null;
	/** Why no answer came (e.g. `ECONNREFUSED: …`, `timed out after 10000 ms`), else null. */
	error: string | null;
	at: number;
	durationMs: number | null;
	body: WebhookEnvelope;
}

/** The outcome of one event of a simulation; `url` null: not delivered (no webhook URL). */
export interface SimulatedDelivery {
	event: string;
	eventId: string;
	delivered: boolean;
	url: string | null;
	status: number | null;
	error: string | null;
	durationMs: number | null;
}

export type SimulationKind =
	| 'message'
	| 'reaction'
	| 'poll-vote'
	| 'poll-vote-failed'
	| 'revoke'
	| 'waiting'
	| 'presence'
	| 'ack'
	| 'contact-add'
	| 'contact-rename'
	| 'media'
	| 'event'
	| 'sms';

/** The SMS webhook events (`simulate(…, 'sms', { event })`). */
export type SmsEventName =
	| 'message.phone.sent'
	| 'message.phone.delivered'
	| 'message.phone.received'
	| 'message.send.failed'
	| 'message.send.expired'
	| 'message.notification.scheduled'
	| 'message.call.missed'
	| 'phone.heartbeat.received'
	| 'phone.heartbeat.online'
	| 'phone.heartbeat.offline'
	| 'phone.heartbeat.missed'
	| 'phone.heartbeat.disabled';

/** The SMS gateway's phone, as messages embed it (`phone`, `include=phone`). */
export interface SandboxSmsPhone {
	id: string;
	user_id: string;
	phone_number: string;
	name: string;
	sim: string;
	max_send_attempts: number;
	message_expiration_seconds: number;
	missed_call_auto_reply_message: string | null;
	is_online: boolean;
	last_online_at: string | null;
	last_offline_at: string | null;
	last_message_at: string | null;
	last_missed_call_at: string | null;
	last_heartbeat_at: string | null;
	heartbeat_enabled_at: string | null;
	timezone: string;
	created_at: string;
	updated_at: string;
}

/** An SMS as the API shows it (the SDK fixtures' shape); times `YYYY-MM-DD HH:MM:SS` UTC. */
export interface SandboxSmsMessage {
	id: string;
	request_id: string | null;
	phone?: SandboxSmsPhone;
	message_thread?: SandboxSmsThread;
	message_thread_id: string;
	phone_id: string;
	from_phone_number: string;
	to_phone_number: string;
	content: string;
	send_duration: number | null;
	schedule_on_phone_at: string | null;
	sent_at: string | null;
	last_attempted_at: string | null;
	delivered_at: string | null;
	received_at: string | null;
	expired_at: string | null;
	schedule_send_at: string | null;
	failed_at: string | null;
	send_attempt_count: number | null;
	max_send_attempts: number;
	failure_reason: string | null;
	message_expiration_seconds: number;
	timezone: string;
	sim: string;
	status: 'pending' | 'scheduled' | 'sent' | 'delivered' | 'failed' | 'expired' | 'received';
	/** `sent_to_mobile`: sent through the API; `received_from_mobile`: received by the phone. */
	type: 'sent_to_mobile' | 'received_from_mobile';
	created_at: string;
	updated_at: string;
}

/** A conversation with one number. */
export interface SandboxSmsThread {
	id: string;
	phone_id: string;
	last_message_id: string | null;
	from_phone_number: string;
	to_phone_number: string;
	is_archived: boolean;
	last_message_content: string | null;
	last_message_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface SandboxSmsHeartbeat {
	id: string;
	phone_id: string;
	battery_level: number;
	is_charging: boolean;
	local_timestamp: string;
	app_version: string | null;
	created_at: string;
	updated_at: string;
}

/** A simulated message's media (simulate(…, 'media', …)): where its bytes are, and what they are. */
export interface SandboxMedia {
	id: string;
	instanceId: string;
	kind: 'voice' | 'image' | 'document' | 'video' | 'sticker';
	mimetype: string;
	filename: string | null;
	size: number;
	/** Of the served bytes, hex. */
	sha256: string;
	origin: 'media-host' | 'api';
	url: string | null;
	expiresAt: number;
	inline: boolean;
	error: string | null;
}

/** One request for media bytes, from either origin; the token itself is never kept. */
export interface SandboxMediaRequest {
	origin: 'media-host' | 'api';
	method: string;
	path: string;
	mediaId: string | null;
	instance: string | null;
	authorization: 'present' | 'missing' | 'wrong';
	/** The instance's token appeared in a header or the URL. */
	tokenSent: boolean;
	status: number;
	bytes: number;
	aborted: boolean;
	durationMs: number;
}

/** What simulate() resolves with, once delivery was attempted. */
export interface SimulationResult {
	kind: SimulationKind;
	instanceId: string;
	/** One per webhook event (none for contact-add and contact-rename). */
	events: SimulatedDelivery[];
	/** The event's payload, or null (contact kinds). */
	payload: Record<string, unknown> | null;
	/** `message`: the serialized id (`false_<chat>_<id>`) send-seen, react and reply_to take. */
	messageId?: string;
	/** `media`: the media record. */
	media?: SandboxMedia;
	/** contact-add, contact-rename: the contact now. */
	contact?: SandboxContact;
	/** `sms`: the SMS the event is about. */
	message?: SandboxSmsMessage;
	/** `sms` (phone.heartbeat.received): the heartbeat recorded. */
	heartbeat?: SandboxSmsHeartbeat;
}

/** An instance's webhook as webhook() shows it. */
export interface SandboxWebhook {
	url: string | null;
	authorization: 'present' | 'none';
	source: 'instance' | 'global' | null;
}

/** A file uploaded to a queued route (multipart part `file`). */
export interface SandboxStoredFile {
	filename: string;
	mimetype: string;
	size: number;
	/** Hex SHA-256 of the bytes received. */
	sha256: string;
}

/** One accepted queued request (send-* or action), as `messages()` lists it. */
export interface SandboxMessageRecord {
	uuid: string;
	/** The route, e.g. `send-text`, `react-to-message`. */
	endpoint: string;
	method: string;
	/** The chatId input as sent. */
	chatId: string | null;
	/** The stored request: the inputs (query and body), a file as `{filename, mimetype, size}`. */
	body: Record<string, unknown>;
	file?: SandboxStoredFile;
	/** Ms since the epoch. */
	acceptedAt: number;
	/** When processing ends (ms since the epoch): max(acceptedAt + delay, the previous record's doneAt). */
	doneAt: number;
	done: boolean;
	/** The outcome's status once done (201 sent, 200 star/seen/typing/read-chat, 404, 422), null before. */
	response_status: number | null;
}

/** What the scripted chat model (/openai/v1) decided for one completion request. */
export type SandboxLlmDecision =
	| { type: 'tool_call'; tool: string; arguments: Record<string, string> }
	| { type: 'answer'; content: string };

/** One /openai/v1/chat/completions request as recorded; the API key is never kept. */
export interface SandboxLlmCompletion {
	/** The completion id answered, `chatcmpl-sandbox-<n>`. */
	id: string;
	/** Arrival time, ms since the epoch. */
	at: number;
	/** Whether it was answered as server-sent events. */
	stream: boolean;
	/** The request's `messages` as received. */
	messages: Array<Record<string, unknown>>;
	/** The names of the function tools offered. */
	toolNames: string[];
	decision: SandboxLlmDecision;
}

/** An OTP code as the controls show it (the code included). */
export interface SandboxOtpCode {
	uuid: string;
	/** `<digits>@c.us` (any writing of a phone number is kept so) or `<id>@lid`. */
	chat_id: string;
	code: string;
	otp_type: 'code' | 'link';
	/** Now: validated once used, expired once past expires_at. */
	status: 'pending' | 'validated' | 'expired';
	name: string | null;
	/** ISO 8601 with +00:00, as the API answers. */
	expires_at: string;
	created_at: string;
	validated_at: string | null;
	/** validate-code calls for this code, wrong ones included. */
	attempts: number;
	/** generate-link only. */
	whatsapp_link?: string;
	message?: Record<string, unknown> | null;
	callback?: Record<string, unknown> | null;
}

/** What configure() takes: any subset; `faults` is replaced as a whole. */
export type SandboxConfigChanges = Partial<Omit<SandboxSettings, 'faults'>> & { faults?: Partial<SandboxFaults> };

export interface Sandbox {
	url: string;
	baseUrl: string;
	token: string;
	port: number;
	/** The media host's own origin (another port): media links that expect no token. */
	mediaUrl: string;
	/** The bytes a simulated message's media serves. */
	mediaBytes(id: string): Buffer;
	/** Makes a media link expire now. */
	expireMedia(id: string): void;
	/** Every request for media bytes, oldest first. */
	mediaRequests(): SandboxMediaRequest[];
	clearMediaRequests(): void;
	/** Every request in arrival order, API calls and picture downloads. */
	requests: SandboxRequest[];
	/** The picture downloads in the request log (a new array each time). */
	readonly pictureRequests: SandboxRequest[];
	/** The scripted chat model's completion requests, oldest first (the live array). */
	llmRequests: SandboxLlmCompletion[];
	onRequest?: (request: SandboxRequest) => void | Promise<void>;
	/** Clears the request log and the recorded chat completions. */
	resetRequests(): void;
	expected(instanceId: string, sortBy?: string, sortOrder?: string): SandboxContact[];
	contacts(instanceId: string): SandboxContact[];
	setContacts(instanceId: string, contacts: SandboxContact[]): void;
	addInstance(id: string, options: { size?: number; seed?: number; contacts?: SandboxContact[]; webhookUrl?: string | null; webhookSecret?: string | null }): void;
	configure(options: SandboxConfigChanges | Record<string, unknown>): SandboxSettings;
	/** The contact a chat id finds, as Get Contact would (a copy), or null. Throws on a malformed chat id. */
	contact(instanceId: string, chatId: string): SandboxContact | null;
	/** Upsert calls received for the contact a chat id names (calls faulted in phase `before` do not count). */
	upsertCalls(instanceId: string, chatId: string): number;
	/** Upsert calls by contact id. */
	upsertCallCounts(instanceId: string): Record<string, number>;
	/** Hides these contacts' pictures besides the fixed ~25%; `seeded: false` shows that fixed share again. */
	setHiddenPictures(instanceId: string, ids: string[], options?: { seeded?: boolean }): void;
	/** Ids of the contacts whose picture is hidden. */
	hiddenPictures(instanceId: string): string[];
	/** The phone numbers linked to @lid contacts (a bare number finds the LID). */
	linkedPhones(instanceId: string): Array<{ id: string; phone: string }>;
	/** Links a phone number (digits) to an existing @lid contact, or unlinks it with null. */
	setLinkedPhone(instanceId: string, lid: string, phone: string | null): void;
	/** The queued requests accepted for an instance, in acceptance order (faults in phase before are not among them, in phase after they are). */
	messages(instanceId: string): SandboxMessageRecord[];
	/** Forgets an instance's queued requests and the messages they sent. */
	clearMessages(instanceId: string): void;
	/** The instance ids, the main one first. */
	instanceIds(): string[];
	/** Every webhook delivery so far (copies), in the order they started. */
	webhookDeliveries(): WebhookDelivery[];
	clearWebhookDeliveries(): void;
	/** Resolves once every instance's deliveries are done, those of sends still processing included. */
	webhooksIdle(): Promise<void>;
	webhooksIdleNow(): boolean;
	/** Where an instance's events go. */
	webhook(instanceId: string): SandboxWebhook;
	/** An instance's own webhook URL (wins over webhookUrl); null or url null removes it. `secret` absent: the global secret; null: none. */
	setWebhook(instanceId: string, setting: { url: string | null; secret?: string | null } | null): SandboxWebhook;
	/** The envelope's `me` for an instance. */
	me(instanceId: string): { id: string; pushName: string; lid: string };
	/** What GET /{instance}/health answers now (not counted against its rate limit). */
	instanceHealth(instanceId: string): SandboxInstanceHealth;
	/** Sets an instance's status; WORKING connects it now, any other status disconnects it; a restart under way ends. */
	setInstanceStatus(instanceId: string, status: InstanceStatus): SandboxInstanceHealth;
	/** The instances made through POST /create-instance, with their access tokens. */
	createdInstances(): SandboxCreatedInstance[];
	/** Forgets every rate-limit count. */
	resetRateLimits(): void;
	/** The rate-limit windows still open: key `<caller>|<instance>|<route>`. */
	rateLimitWindows(): Array<{ key: string; hits: number; resetsAt: number }>;
	/** An instance's OTP codes, oldest first; a chat's only when `chatId` is given (any writing of the number). */
	otpCodes(instanceId: string, chatId?: string): SandboxOtpCode[];
	/** The newest code of a chat (request-code or generate-link), or null. */
	lastOtpCode(instanceId: string, chatId: string): SandboxOtpCode | null;
	/** Makes a code expire now: the one with this uuid, or the newest of a chat. Throws (status 404) when there is none. */
	expireOtpCode(instanceId: string, which: { uuid?: string; chatId?: string }): SandboxOtpCode;
	/** Forgets an instance's OTP codes. */
	clearOtpCodes(instanceId: string): void;
	/** An instance's SMS, oldest first (as GET messages shows them); only those with this request_id when given. */
	smsMessages(instanceId: string, which?: { requestId?: string }): SandboxSmsMessage[];
	/** How many SMS each request_id has: more than 1 is an SMS sent twice. */
	smsRequestIdCounts(instanceId: string): Record<string, number>;
	smsThreads(instanceId: string): SandboxSmsThread[];
	smsHeartbeats(instanceId: string): SandboxSmsHeartbeat[];
	smsPhone(instanceId: string): SandboxSmsPhone;
	/** A history without webhooks: `messages` SMS (default 20) over `threads` numbers (5), `heartbeats` heartbeats (0). */
	seedSms(instanceId: string, counts?: { messages?: number; threads?: number; heartbeats?: number }): { messages: number; threads: number; heartbeats: number };
	/** An SMS arrives (message.phone.received). */
	receiveSms(instanceId: string, input?: { from?: string; content?: string }): Promise<SimulationResult>;
	/** The phone sends a heartbeat (phone.heartbeat.received, and .online if it was offline). */
	smsHeartbeat(instanceId: string, input?: { batteryLevel?: number; isCharging?: boolean; appVersion?: string }): Promise<SimulationResult>;
	/** Forgets an instance's SMS, threads and heartbeats. */
	clearSms(instanceId: string): void;
	/** Simulates what a customer does and resolves once its webhook event was delivered (or could not be). */
	simulate(instanceId: string, kind: SimulationKind, input?: Record<string, unknown>): Promise<SimulationResult>;
	close(): Promise<void>;
}

export const DEFAULT_INSTANCE: string = sandboxModule.DEFAULT_INSTANCE;
export const DEFAULT_TOKEN: string = sandboxModule.DEFAULT_TOKEN;
export const DEFAULT_PICTURE_TTL_MS: number = sandboxModule.DEFAULT_PICTURE_TTL_MS;
export const DEFAULT_PROCESSING_DELAY_MS: number = sandboxModule.DEFAULT_PROCESSING_DELAY_MS;
/** Phone numbers ending in this are not on WhatsApp, unless the instance has them as a contact. */
export const NOT_ON_WHATSAPP_SUFFIX: string = sandboxModule.NOT_ON_WHATSAPP_SUFFIX;
/** Where the scripted OpenAI-compatible chat model lives: `${sandbox.url}${LLM_PATH}` is the OpenAI credential's Base URL. */
export const LLM_PATH: string = sandboxModule.LLM_PATH;
/** The base path of each API family on the sandbox's origin. */
export const API_PATHS: { whatsapp: string; otp: string; sms: string } = sandboxModule.API_PATHS;

/** The base URL of an API family: `${sandbox.url}/api/<family>/v2`. */
export function familyUrl(sandbox: Sandbox, family: 'whatsapp' | 'otp' | 'sms'): string {
	return `${sandbox.url}${API_PATHS[family]}`;
}

/** The SMS sent per request_id, for the "exactly once" checks: ids recorded more than once, and ids never recorded. */
export function smsRecordCheck(sandbox: Sandbox, requestIds: string[], instanceId: string = DEFAULT_INSTANCE) {
	const counts = sandbox.smsRequestIdCounts(instanceId);
	return {
		counts,
		twice: requestIds.filter((id) => (counts[id] ?? 0) > 1),
		missing: requestIds.filter((id) => (counts[id] ?? 0) === 0),
	};
}

export async function startSandbox(options: Record<string, unknown> = {}): Promise<Sandbox> {
	return (await sandboxModule.startSandbox({ quiet: true, ...options })) as Sandbox;
}

export function credentialsFor(sandbox: Sandbox, overrides: Record<string, string> = {}) {
	return { apiToken: sandbox.token, instanceId: DEFAULT_INSTANCE, baseUrl: sandbox.baseUrl, ...overrides };
}

/** The queued requests the sandbox recorded per chat, in order: more than one is a message sent twice. */
export function recordedByChat(sandbox: Sandbox, instanceId: string = DEFAULT_INSTANCE): Map<string, string[]> {
	const recorded = new Map<string, string[]>();
	for (const message of sandbox.messages(instanceId)) {
		const uuids = recorded.get(String(message.chatId)) ?? [];
		uuids.push(message.uuid);
		recorded.set(String(message.chatId), uuids);
	}
	return recorded;
}
