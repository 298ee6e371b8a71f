import type { IDataObject } from 'n8n-workflow';

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
}
