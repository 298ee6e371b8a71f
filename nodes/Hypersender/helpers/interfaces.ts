import type { IDataObject } from 'n8n-workflow';

import type { ContactFilter } from './contactFields';

/** A contact as the API returns it; only `id` is guaranteed, other keys are passed through untouched. */
export interface HypersenderContact extends IDataObject {
	id: string;
	name?: string | null;
	pushname?: string | null;
}

export type ContactSortBy = 'id' | 'name';

export type ContactSortOrder = 'asc' | 'desc';

/** The parameters of Contact › Get Many, validated and normalised. */
export interface ContactGetManyParameters {
	/** `undefined` means Return All. */
	maxContacts: number | undefined;
	offset: number;
	sortBy: ContactSortBy;
	sortOrder: ContactSortOrder;
	/** Set when the node overrides the credential's instance. */
	instanceId: string | undefined;
	/** Attempts per page before the node gives up, the first one included. */
	maxAttempts: number;
	/** Per-request timeout. */
	timeoutMs: number;
	/** Total time the node may spend on retries for one input item. */
	retryBudgetMs: number;
	/** Client-side filters; empty when no filter option is set. */
	filter: ContactFilter;
	/** Pages requested at once. */
	concurrency: number;
	/** Adds `kind`, `phone` and `displayName` to every contact. */
	addDerivedFields: boolean;
}

export interface HypersenderCredentials {
	apiToken: string;
	instanceId: string;
	baseUrl: string;
}
