import type { WebhookEnvelope } from './events';
import {
	authorizationMatches,
	claimedInstance,
	configuredSecret,
	MAX_BODY_BYTES,
	MAX_BODY_DEPTH,
	nestingDepth,
	parseEnvelope,
} from './events';
import type { SmsEnvelope } from './sms';
import { parseSmsEnvelope, smsInstanceOf } from './sms';

/**
 * Whether a webhook call is let in, and as which event: the secret, the size, the depth, the
 * instance and the body, checked in that order for WhatsApp and SMS events alike. A refused call
 * is answered with its status and message and starts no execution. No I/O here.
 */

export interface WebhookCall {
	/** The request's headers, names in lower case (as Node.js gives them). */
	headers: Record<string, string | string[] | undefined>;
	/** The body's size in bytes as n8n received it, 0 when n8n kept no raw body. */
	rawLength: number;
	/** The body as n8n parsed it; read only once the size is known to be allowed. */
	body: () => unknown;
}

export interface TriggerCredentials {
	instanceId?: unknown;
	smsInstanceId?: unknown;
	webhookSecret?: unknown;
}

interface Admitted {
	/** The instance the call is for (checked against the credential). */
	instanceId: string;
	/** The `x-userId` header, when there is one. */
	userId: string | undefined;
}

export type Admission =
	| { refused: { status: number; message: string } }
	| (Admitted & { channel: 'whatsapp'; envelope: WebhookEnvelope })
	| (Admitted & { channel: 'sms'; envelope: SmsEnvelope });

const FORBIDDEN = 'Forbidden: this webhook is for another Hypersender instance.';

function refused(status: number, message: string): Admission {
	return { refused: { status, message } };
}

function header(headers: WebhookCall['headers'], name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' ? value : undefined;
}

/**
 * WhatsApp events must come from the credential's Instance ID, SMS events from its SMS Instance ID
 * (the Instance ID when that is empty): the call's `x-instanceId` (else the body's
 * `data.instanceId`) names one of them, or the call is refused before its body is judged. With no
 * SMS Instance ID both are the same, and the checks are the WhatsApp trigger's as they always were.
 */
export function admitCall(call: WebhookCall, credentials: TriggerCredentials): Admission {
	// Trimmed, and none when only spaces: see configuredSecret.
	const secret = configuredSecret(credentials.webhookSecret);
	if (secret !== undefined && !authorizationMatches(call.headers.authorization, secret)) {
		return refused(401, 'Unauthorized: the Authorization header does not carry the webhook secret.');
	}
	const length = Number(header(call.headers, 'content-length') ?? 0);
	if (length > MAX_BODY_BYTES || call.rawLength > MAX_BODY_BYTES) {
		return refused(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
	}
	const body = call.body();
	// Measured before anything else reads the body, and without recursion (see MAX_BODY_DEPTH).
	if (nestingDepth(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
		return refused(400, `The body is nested deeper than ${MAX_BODY_DEPTH} levels of objects and arrays.`);
	}
	const envelope = parseSmsEnvelope(body) ?? parseEnvelope(body);
	const whatsappInstance = String(credentials.instanceId ?? '').trim();
	const smsInstance = smsInstanceOf(credentials);
	const instance = claimedInstance(call.headers['x-instanceid'], 'problem' in envelope ? undefined : envelope.data);
	if (instance === undefined || (instance !== whatsappInstance && instance !== smsInstance)) return refused(403, FORBIDDEN);
	if ('problem' in envelope) {
		// n8n reads only an application/json body as JSON (one it cannot parse it refuses itself, 422,
		// before this runs); any other type arrives unread, as {} or text, so say which type came.
		const type = (header(call.headers, 'content-type') ?? 'none').split(';')[0].trim();
		const hint = call.rawLength > 0 && type.toLowerCase() !== 'application/json' ? ` (it came as ${type}, not application/json)` : '';
		return refused(400, `Not a Hypersender webhook: ${envelope.problem}${hint}.`);
	}
	const userId = header(call.headers, 'x-userid');
	if ('channel' in envelope) {
		return instance === smsInstance ? { channel: 'sms', envelope, instanceId: instance, userId } : refused(403, FORBIDDEN);
	}
	const bodyInstance = typeof envelope.data.instanceId === 'string' ? envelope.data.instanceId.trim() : undefined;
	if (instance !== whatsappInstance || (bodyInstance && bodyInstance !== whatsappInstance)) return refused(403, FORBIDDEN);
	return { channel: 'whatsapp', envelope, instanceId: instance, userId };
}
