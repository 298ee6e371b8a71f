import type { IExecuteFunctions, INode, NodeApiError } from 'n8n-workflow';

import type { RequestOptions } from '../descriptions/common';
import type { ApiFailure } from './errors';
import { apiError } from './errors';
import type { ApiOutcome, ApiRequest, HypersenderConnection } from './index';
import { apiRequest, getConnection } from './index';
import { RetryClock, withRetries } from './retry';

/**
 * One input item's way to the SMS API (`…/api/sms/v2/{SMS instance}/…`). Unlike ./index's
 * ItemClient, which throws its worded error, it hands back the classified outcome: the SMS
 * operations act on what failed (look a send up, try the other spelling of an ID, check a page).
 */
export interface SmsClient {
	node: INode;
	itemIndex: number;
	connection: HypersenderConnection;
	clock: RetryClock;
	maxAttempts: number;
	/**
	 * One call with retries: a read on every transient failure, a write only where the server
	 * surely did not act (429, 503, a refused connection). Resolves with the last outcome.
	 */
	request(request: Omit<ApiRequest, 'timeoutMs' | 'api'>, idempotent: boolean): Promise<{ outcome: ApiOutcome; attempts: number }>;
	/** The error the user reads for a failure, token redacted. */
	error(failure: ApiFailure, words: SmsErrorWords): NodeApiError;
}

export interface SmsErrorWords {
	/** The request in words, e.g. 'request for page 2 of the SMS messages'. */
	what: string;
	/** What a 2xx answer should hold. */
	expected: string;
	attempts: number;
	/** Added to the description. */
	note?: string;
	/** Added to the message, in brackets. */
	messageNote?: string;
}

export async function createSmsClient(this: IExecuteFunctions, itemIndex: number, options: RequestOptions): Promise<SmsClient> {
	const connection = await getConnection.call(this, itemIndex, options.instanceId);
	const clock = new RetryClock(options.retryBudgetMs, undefined, this.getExecutionCancelSignal());
	const node = this.getNode();
	return {
		node,
		itemIndex,
		connection,
		clock,
		maxAttempts: options.maxAttempts,
		request: async (request, idempotent) =>
			await withRetries(
				async () => await apiRequest.call(this, connection, { ...request, api: 'sms', timeoutMs: options.timeoutMs }),
				{ idempotent, maxAttempts: options.maxAttempts, clock },
			),
		error: (failure, words) =>
			apiError(failure, {
				node,
				itemIndex,
				secret: connection.apiToken,
				baseUrl: connection.baseUrl,
				...words,
			}),
	};
}
