import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import type { ApiRequest, ApiResponse, CallOptions, ItemClient } from '../transport';
import { nodeApiError } from '../transport/errors';

/**
 * The instance endpoints (Hypersender's enterprise API): an instance's health, the account's
 * instances, creating one, restarting one, a new QR code. Shared by the Instance operations and
 * by the queued runner's Require Connected Instance check (../execution/queued).
 */

/** The states the API documents for an instance; only WORKING can send. Others are passed through. */
export const INSTANCE_STATUSES = ['STOPPED', 'STARTING', 'WORKING', 'SCAN_QR_CODE', 'FAILED', 'PENDING'];

/** An instance's health as the node outputs it. */
export interface InstanceHealth extends IDataObject {
	instanceId: string;
	status: string;
	connectedAt: string | null;
	/** True only for WORKING. */
	connected: boolean;
}

/** An instance endpoint: how the user names it, and its documented limit per minute. */
export interface InstanceEndpoint {
	label: string;
	perMinute: number;
}

export const INSTANCE_ENDPOINTS = {
	health: { label: 'health read', perMinute: 10 },
	list: { label: 'instance list', perMinute: 0 },
	create: { label: 'instance creation', perMinute: 5 },
	restart: { label: 'restart', perMinute: 5 },
	newQrCode: { label: 'new QR code', perMinute: 1 },
} satisfies Record<string, InstanceEndpoint>;

const TOKEN_HINT = 'this token cannot manage instances (enterprise endpoints need your account\'s API token)';

/** The API's own words, for a description. */
function apiSaid(error: NodeApiError): string {
	const said = /^Hypersender API error \d+: (.*?)(?: after \d+ attempts)?$/.exec(error.message)?.[1];
	return said ? ` The API said: "${said}".` : '';
}

/**
 * The instance endpoints' failures in their own words: a 404 names the Instance ID, a 401 or 403
 * the token, a 429 the endpoint's documented limit when the API gave no Retry-After. The error
 * object is kept (a write's "may have been done" mark is on it), only its words change.
 */
function reworded(
	error: NodeApiError,
	request: Omit<ApiRequest, 'timeoutMs'>,
	client: ItemClient,
	how: CallOptions,
	endpoint: InstanceEndpoint,
): NodeApiError {
	const status = error.httpCode;
	const said = apiSaid(error);
	if (status === '404' && request.scope !== 'account') {
		const instance = client.connection.instanceId;
		error.message = `Hypersender API error 404: instance not found — check the Instance ID ("${instance}")`;
		error.description = `No instance "${instance}" was found.${said} Use the instance's UUID from the Hypersender dashboard or from Instance › Get Many, in the credential or in the node's "Instance ID" option.`;
	} else if (status === '404') {
		error.message = `Hypersender API error 404: the instance management endpoint "${request.path}" was not found — check the credential's Base URL`;
		error.description = `${said.trim()} The Base URL should be the Hypersender WhatsApp API, e.g. https://app.hypersender.com/api/whatsapp/v2.`.trim();
	} else if (status === '401' || status === '403') {
		error.message = `Hypersender API error ${status}: ${TOKEN_HINT}`;
		error.description = `Managing instances (health, list, create, restart, new QR code) is part of Hypersender's enterprise API.${said} Put your account's API token from the Hypersender dashboard in the credential; an instance's own token may not reach these endpoints.`;
	} else if (status === '429') {
		const limit = endpoint.perMinute > 0 ? ` Hypersender allows ${endpoint.perMinute} ${endpoint.label}(s) per minute.` : '';
		const at = new Date(Date.now() + 60_000).toISOString().slice(11, 19);
		// transport/errors already says when, from the API's Retry-After; without one, the documented limit does.
		const when = /asked to wait/.test(error.description ?? '') ? '' : ` Try again in a minute (after ${at} UTC).`;
		const undone = how.idempotent ? '' : ' Nothing was done: the API refuses a rate-limited request before acting on it.';
		error.description = `${error.description ?? ''}${limit}${when}${undone}`.trim();
	}
	return error;
}

/** One call to an instance endpoint, its failures worded for instances. */
export async function instanceCall(
	client: ItemClient,
	request: Omit<ApiRequest, 'timeoutMs'>,
	how: CallOptions,
	endpoint: InstanceEndpoint,
): Promise<ApiResponse> {
	try {
		return await client.call(request, how);
	} catch (error) {
		throw error instanceof NodeApiError ? reworded(error, request, client, how, endpoint) : error;
	}
}

/** The object an answer holds, directly or in `data` (Laravel resources wrap it). */
export function answerObject(json: unknown): IDataObject | undefined {
	if (!isObject(json)) return undefined;
	return isObject(json.data) && !('status' in json) && !('id' in json) ? json.data : json;
}

/** Whether a status means the instance can send: WORKING, whatever its case. */
export function isConnected(status: string): boolean {
	return status.trim().toUpperCase() === 'WORKING';
}

/** What the user can do about an instance that is not WORKING. */
export function connectionAdvice(status: string): string {
	switch (status.trim().toUpperCase()) {
		case 'SCAN_QR_CODE':
			return 'scan the QR code in the Hypersender dashboard (or get a new one with Instance › Request New QR Code), then run again';
		case 'STOPPED':
		case 'FAILED':
			return 'restart it with Instance › Restart (or in the Hypersender dashboard), then run again';
		case 'STARTING':
		case 'PENDING':
			return 'it is starting: wait a minute and run again';
		default:
			return 'check the instance in the Hypersender dashboard, then run again';
	}
}

/** Reads the health of the client's instance (`GET {instance}/health`, 10 per minute). */
export async function readInstanceHealth(client: ItemClient): Promise<InstanceHealth> {
	const how: CallOptions = {
		idempotent: true,
		what: `health read of the instance "${client.connection.instanceId}"`,
		expected: 'JSON with the instance\'s "status" (e.g. WORKING)',
	};
	const response = await instanceCall(client, { method: 'GET', path: 'health' }, how, INSTANCE_ENDPOINTS.health);
	const body = answerObject(response.json);
	const status = body?.status;
	if (!body || typeof status !== 'string' || status.trim() === '') throw client.unexpected('the JSON has no "status"', how);
	const connectedAt = body.connected_at;
	return {
		instanceId: typeof body.instance_id === 'string' && body.instance_id !== '' ? body.instance_id : client.connection.instanceId,
		status,
		connectedAt: typeof connectedAt === 'string' && connectedAt !== '' ? connectedAt : null,
		connected: isConnected(status),
	};
}

const camelCase = (key: string) => key.replace(/_+([a-zA-Z0-9])/g, (_match, next: string) => next.toUpperCase());

/** The instance's UUID in an answer: `uuid` (where `id` may be a row number), else `id`, else `instance_id`. */
export function instanceUuid(raw: IDataObject): string | undefined {
	for (const key of ['uuid', 'id', 'instance_id']) {
		const value = raw[key];
		if ((typeof value === 'string' && value.trim() !== '') || typeof value === 'number') return String(value);
	}
	return undefined;
}

/**
 * An instance as the node outputs it: `instanceId` first, every other key in camelCase like the
 * node's other outputs (`service_type` → `serviceType`, `created_at` → `createdAt`). The QR code
 * becomes a file, never JSON. The instance's `access_token` is output only where asked:
 * Create's answer is the one place the new token is handed over; a list gives `hasAccessToken`.
 */
export function instanceItem(raw: IDataObject, accessToken: 'output' | 'presence' | 'omit'): IDataObject {
	const item: IDataObject = { instanceId: instanceUuid(raw) ?? null };
	const skipped = new Set(['access_token', 'qr_code', 'instance_id', 'uuid' in raw ? 'uuid' : 'id']);
	for (const [key, value] of Object.entries(raw)) {
		if (!skipped.has(key)) item[camelCase(key)] = value;
	}
	const token = raw.access_token;
	if (accessToken === 'output' && token !== undefined) item.accessToken = token;
	if (accessToken === 'presence') item.hasAccessToken = typeof token === 'string' && token !== '';
	return item;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The PNG a `qr_code` holds (base64, with or without a `data:image/png;base64,` prefix), or what is wrong with it. */
export function decodeQrCode(value: unknown): { png: Buffer } | { problem: string } {
	if (typeof value !== 'string' || value.trim() === '') return { problem: 'the answer has no "qr_code"' };
	const base64 = value.trim().replace(/^data:[^,]*;base64,/i, '').replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64)) return { problem: 'its "qr_code" is not base64' };
	const png = Buffer.from(base64, 'base64');
	if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) {
		const start = [...png.subarray(0, 8)].map((byte) => byte.toString(16).padStart(2, '0')).join(' ');
		return { problem: `its "qr_code" decodes to ${png.length} bytes beginning ${start}, not a PNG image` };
	}
	return { png };
}

/** `Sales Team (EU)` → `Sales_Team_EU.png`, `Équipe` → `Equipe.png`: a file name any system accepts. */
export function qrCodeFileName(name: string): string {
	const trim = (text: string) => text.replace(/^[_.-]+|[_.-]+$/g, '');
	const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
	const safe = trim(trim(ascii.replace(/[^A-Za-z0-9._-]+/g, '_')).slice(0, 100));
	return `${safe || 'qr-code'}.png`;
}

/**
 * The output item of an answer that carries a QR code (Create, Request New QR Code): the
 * instance's fields, and the QR code as a PNG file in `binaryPropertyName`. A QR code that is
 * not a PNG is an error; `afterwards` says what state the instance is in then.
 */
export async function qrCodeItem(
	this: IExecuteFunctions,
	itemIndex: number,
	answer: { raw: IDataObject; json: IDataObject; fileBase: string },
	binaryPropertyName: string,
	afterwards: string,
): Promise<INodeExecutionData> {
	const qrCode = decodeQrCode(answer.raw.qr_code);
	if ('problem' in qrCode) {
		throw nodeApiError(this.getNode(), `The API's QR code could not be stored: ${qrCode.problem}`, {
			itemIndex,
			httpCode: '200',
			description: afterwards,
		});
	}
	const binary = await this.helpers.prepareBinaryData(qrCode.png, qrCodeFileName(answer.fileBase), 'image/png');
	return { json: answer.json, binary: { [binaryPropertyName]: binary } };
}
