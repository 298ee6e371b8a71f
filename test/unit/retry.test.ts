import type { ApiFailure } from '../../nodes/Hypersender/transport/errors';
import type { RetryEnvironment } from '../../nodes/Hypersender/transport/retry';
import {
	BACKOFF,
	getNextRetryDelay,
	mayHaveActed,
	RetryClock,
	shouldRetry,
	withRetries,
} from '../../nodes/Hypersender/transport/retry';

const status = (code: number, retryAfterMs?: number): ApiFailure => ({
	type: 'status',
	status: code,
	fieldErrors: [],
	bodySummary: '',
	retryAfterMs,
});
const network = (overrides: Partial<Extract<ApiFailure, { type: 'network' }>> = {}): ApiFailure => ({
	type: 'network',
	message: 'socket hang up',
	code: 'ECONNRESET',
	timedOut: false,
	cancelled: false,
	refused: false,
	timeoutMs: 1000,
	...overrides,
});

describe('shouldRetry', () => {
	test.each([408, 429, 500, 502, 503, 504])('retries a read after %i', (code) => {
		expect(shouldRetry(status(code), { idempotent: true })).toBe(true);
	});

	test.each([400, 401, 403, 404, 422])('never retries after %i', (code) => {
		expect(shouldRetry(status(code), { idempotent: true })).toBe(false);
		expect(shouldRetry(status(code), { idempotent: false })).toBe(false);
	});

	test.each([
		[429, true],
		[503, true],
		[500, false],
		[502, false],
		[504, false],
		[408, false],
	])('retries a write after %i only where the server surely did not act: %p', (code, expected) => {
		expect(shouldRetry(status(code), { idempotent: false })).toBe(expected);
	});

	test('retries a write after a refused connection or an unknown host, never after a timeout or a reset', () => {
		expect(shouldRetry(network({ code: 'ECONNREFUSED', refused: true }), { idempotent: false })).toBe(true);
		expect(shouldRetry(network({ code: 'ENOTFOUND', refused: true }), { idempotent: false })).toBe(true);
		expect(shouldRetry(network({ code: 'ECONNABORTED', timedOut: true }), { idempotent: false })).toBe(false);
		expect(shouldRetry(network(), { idempotent: false })).toBe(false);
		expect(shouldRetry(network(), { idempotent: true })).toBe(true);
	});

	test('never retries a cancelled execution', () => {
		expect(shouldRetry(network({ cancelled: true }), { idempotent: true })).toBe(false);
	});

	test('retries a garbled 2xx read, never JSON of the wrong shape, never a garbled write', () => {
		expect(shouldRetry({ type: 'response', garbled: true, problem: 'HTML' }, { idempotent: true })).toBe(true);
		expect(shouldRetry({ type: 'response', garbled: false, problem: 'no data' }, { idempotent: true })).toBe(false);
		expect(shouldRetry({ type: 'response', garbled: true, problem: 'HTML' }, { idempotent: false })).toBe(false);
	});
});

describe('mayHaveActed', () => {
	test('is true where a write may have happened despite the failure', () => {
		expect([500, 502, 504].map((code) => mayHaveActed(status(code)))).toEqual([true, true, true]);
		expect(mayHaveActed(network({ timedOut: true }))).toBe(true);
		expect(mayHaveActed(network())).toBe(true);
		expect(mayHaveActed({ type: 'response', garbled: true, problem: '' })).toBe(true);
	});

	test('is false where the server refused or never saw the request', () => {
		expect([400, 401, 422, 429, 503].map((code) => mayHaveActed(status(code)))).toEqual([false, false, false, false, false]);
		expect(mayHaveActed(network({ refused: true }))).toBe(false);
	});
});

describe('getNextRetryDelay', () => {
	test('doubles from 0.5 s with half of it random, up to 30 s', () => {
		expect([1, 2, 3].map((attempt) => getNextRetryDelay(attempt, undefined, () => 0))).toEqual([250, 500, 1000]);
		expect([1, 2, 3].map((attempt) => getNextRetryDelay(attempt, undefined, () => 1))).toEqual([500, 1000, 2000]);
		expect(getNextRetryDelay(30, undefined, () => 1)).toBe(BACKOFF.maxDelayMs);
	});

	test('honors Retry-After, capped at 60 s', () => {
		expect(getNextRetryDelay(1, 2000, () => 0)).toBe(2000);
		expect(getNextRetryDelay(1, 3_600_000, () => 0)).toBe(BACKOFF.retryAfterCapMs);
	});
});

function virtualClock(budgetMs: number, signal?: AbortSignal) {
	let now = 0;
	const waits: number[] = [];
	const environment: RetryEnvironment = {
		now: () => now,
		random: () => 0.5,
		sleep: async (ms, abort) => {
			if (abort?.aborted) throw new Error('aborted');
			waits.push(ms);
			now += ms;
		},
	};
	return { clock: new RetryClock(budgetMs, environment, signal), waits };
}

describe('withRetries', () => {
	const answers = (...outcomes: Array<ApiFailure | 'ok'>) => {
		let calls = 0;
		const send = async () => {
			const next = outcomes[Math.min(calls++, outcomes.length - 1)];
			return next === 'ok' ? ({ ok: true } as const) : ({ ok: false, failure: next } as const);
		};
		return { send, calls: () => calls };
	};

	test('sends a read again until it succeeds, waiting with backoff', async () => {
		const { clock, waits } = virtualClock(60_000);
		const source = answers(status(503), network(), 'ok');
		const { outcome, attempts } = await withRetries(source.send, { idempotent: true, maxAttempts: 5, clock });
		expect(outcome.ok).toBe(true);
		expect(attempts).toBe(3);
		expect(waits).toEqual([375, 750]);
	});

	test('sends a write once when the failure may have acted', async () => {
		const { clock } = virtualClock(60_000);
		const source = answers(status(500), 'ok');
		const { outcome, attempts } = await withRetries(source.send, { idempotent: false, maxAttempts: 5, clock });
		expect(outcome.ok).toBe(false);
		expect(attempts).toBe(1);
	});

	test('stops at the attempt limit and at the time budget', async () => {
		const limited = virtualClock(60_000);
		expect((await withRetries(answers(status(503)).send, { idempotent: true, maxAttempts: 3, clock: limited.clock })).attempts).toBe(3);
		const budgeted = virtualClock(1000);
		const result = await withRetries(answers(status(429, 800)).send, { idempotent: true, maxAttempts: 10, clock: budgeted.clock });
		expect(result.attempts).toBe(2);
		expect(budgeted.waits).toEqual([800]);
	});

	test('stops without another attempt once the execution is cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		const { clock } = virtualClock(60_000, controller.signal);
		const source = answers('ok');
		const { outcome, attempts } = await withRetries(source.send, { idempotent: true, maxAttempts: 5, clock });
		expect(outcome.ok).toBe(false);
		expect(attempts).toBe(0);
		expect(source.calls()).toBe(0);
	});
});
