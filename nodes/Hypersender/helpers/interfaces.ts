import type { IDataObject } from 'n8n-workflow';

/** A JSON object (not null, not an array), as API bodies and webhook payloads are read. */
export function isObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A contact as the API returns it; only `id` is guaranteed, other keys are passed through untouched. */
export interface HypersenderContact extends IDataObject {
	id: string;
	name?: string | null;
	pushname?: string | null;
}

export interface HypersenderCredentials {
	apiToken: string;
	instanceId: string;
	baseUrl: string;
	/** Optional: the instance of the SMS gateway (Android phone), when it is not the WhatsApp instance. */
	smsInstanceId?: string;
}
