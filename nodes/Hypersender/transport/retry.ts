import { sleep } from 'n8n-workflow';

import type { ApiFailure } from './errors';

/**
 * Retry, as two questions asked of a failed attempt: should it be retried, and how long to
 * wait first. The loops that ask them (withRetries below, and the contact pager, which also
 * shrinks pages) share the waiting, the time budget and cancellation through RetryClock.
 */

/** How long to wait between attempts. How many attempts and how much time in all come from the node's options. */
export const BACKOFF = {
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	/** The longest `Retry-After` honored. */
	retryAfterCapMs: 60_000,
};

export interface RetryPolicy {
	/** Attempts, the first one included. */
	maxAttempts: number;
	/** Total time one input item may spend on failed attempts and waits between them, in ms. */
	budgetMs: number;
}

/** Statuses worth another attempt of a read; everything else (400, 401, 403, 404, 422, ...) fails at once. */
const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Statuses after which a write surely did not happen: the server refused it before acting.
 * A 500, 502 or 504 may come after the server acted, so a write is never repeated after them.
 */
const NOT_ACTED_STATUSES = new Set([429, 503]);

/**
 * Should the request be sent again? Reads (`idempotent`) are retried on every transient
 * failure; a write only where the server surely did not act on it, so it never happens twice.
 */
export function shouldRetry(failure: ApiFailure, request: { idempotent: boolean }): boolean {
	switch (failure.type) {
		case 'status':
			return (request.idempotent ? RETRYABLE_STATUSES : NOT_ACTED_STATUSES).has(failure.status);
		case 'network':
			if (failure.cancelled) return false;
			return request.idempotent || failure.refused;
		case 'response':
			return request.idempotent && failure.garbled;
	}
}

/** Capped exponential backoff with jitter: half fixed, half random, so retries of parallel runs spread out. */
export function backoffDelay(attempt: number, random: () => number): number {
	const ceiling = Math.min(BACKOFF.maxDelayMs, BACKOFF.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** How long to wait before the next attempt: the server's `Retry-After` (capped) when it gave one, else backoff. */
export function getNextRetryDelay(attempt: number, retryAfterMs: number | undefined, random: () => number): number {
	return retryAfterMs !== undefined
		? Math.min(retryAfterMs, BACKOFF.retryAfterCapMs)
		: backoffDelay(Math.max(attempt, 1), random);
}

export interface RetryEnvironment {
	now(): number;
	/** Resolves after `ms`, or rejects as soon as the signal aborts. */
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	random(): number;
}

export const realEnvironment: RetryEnvironment = {
	now: () => Date.now(),
	random: () => Math.random(),
	sleep: async (ms, signal) => await sleep(ms, signal),
};

/** The time one input item has spent on failures, against its budget; waits abort with the execution. */
export class RetryClock {
	private spentMs = 0;

	constructor(
		private readonly budgetMs: number,
		readonly environment: RetryEnvironment = realEnvironment,
		readonly signal?: AbortSignal,
	) {}

	/** Runs one attempt; its time counts against the budget when it fails. */
	async attempt<T extends { ok: boolean }>(run: () => Promise<T>): Promise<T> {
		const startedAt = this.environment.now();
		const result = await run();
		if (!result.ok) this.spentMs += this.environment.now() - startedAt;
		return result;
	}

	/** Waits `ms`, outside the budget (a wait that is not a retry); false when the execution stops meanwhile. */
	async pause(ms: number): Promise<boolean> {
		return await this.environment.sleep(ms, this.signal).then(
			() => true,
			() => false,
		);
	}

	/** Waits `ms` unless that would overrun the budget. 'cancelled' when the execution stops meanwhile. */
	async wait(ms: number): Promise<'waited' | 'over-budget' | 'cancelled'> {
		if (this.spentMs + ms > this.budgetMs) return 'over-budget';
		if (!(await this.pause(ms))) return 'cancelled';
		this.spentMs += ms;
		return 'waited';
	}
}

type Outcome = { ok: true } | { ok: false; failure: ApiFailure };

/** A failure standing for a cancelled execution, so callers word it like any other failure. */
export const CANCELLED: ApiFailure = {
	type: 'network',
	code: 'ERR_CANCELED',
	message: 'the execution was cancelled',
	cancelled: true,
	timedOut: false,
	refused: false,
	timeoutMs: 0,
};

/**
 * Sends one request until it succeeds, a failure should not be retried, the attempts or the
 * time budget run out, or the execution is cancelled. Resolves with the last outcome and the
 * number of attempts made.
 */
export async function withRetries<T extends Outcome>(
	send: () => Promise<T>,
	options: { idempotent: boolean; maxAttempts: number; clock: RetryClock },
): Promise<{ outcome: T | { ok: false; failure: ApiFailure }; attempts: number }> {
	const { clock } = options;
	let attempts = 0;
	for (;;) {
		if (clock.signal?.aborted) return { outcome: { ok: false, failure: CANCELLED }, attempts };
		attempts++;
		const outcome = await clock.attempt(send);
		if (outcome.ok) return { outcome, attempts };
		const { failure } = outcome as { ok: false; failure: ApiFailure };
		if (attempts >= options.maxAttempts || !shouldRetry(failure, options)) return { outcome, attempts };
		const retryAfterMs = failure.type === 'status' ? failure.retryAfterMs : undefined;
		const waited = await clock.wait(getNextRetryDelay(attempts, retryAfterMs, clock.environment.random));
		if (waited === 'cancelled') return { outcome: { ok: false, failure: CANCELLED }, attempts };
		if (waited === 'over-budget') return { outcome, attempts };
	}
}

/**
 * Whether a failed write may still have happened: the server may have acted before a 500, 502
 * or 504, a timeout, a dropped connection or an unreadable answer. The user is told so.
 */
export function mayHaveActed(failure: ApiFailure): boolean {
	switch (failure.type) {
		case 'status':
			return failure.status >= 500 && !NOT_ACTED_STATUSES.has(failure.status);
		case 'network':
			return !failure.refused && !failure.cancelled;
		case 'response':
			return true;
	}
}
