import type { IExecuteFunctions, INodeExecutionData, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isObject } from '../helpers/interfaces';
import { redactSecret } from '../helpers/redaction';
import type { CallOptions, ItemClient } from '../transport';
import { createItemClient, failureOf, mayHaveBeenCarriedOut } from '../transport';
import { nodeApiError } from '../transport/errors';
import type { QueuedAnswer, QueuedRecord } from '../transport/queued';
import { nextPollDelay, parseQueuedAnswer, recordFailure, serializedMessageId } from '../transport/queued';
import { readQueuedRecord } from '../domain/queuedRecords';
import type { InstanceHealth } from '../domain/instances';
import { connectionAdvice, readInstanceHealth } from '../domain/instances';
import type { QueuedAction, QueuedOperation } from './kinds';
import { addToDescription, toNodeError } from './nodeErrors';
import type { RunOutput } from './output';
import type { LedgerEntry, RunLedger } from './retryLedger';
import { openLedger, requestFingerprint } from './retryLedger';

/** Reads of queued records in flight at once while many items wait. */
const POLL_CONCURRENCY = 8;

type NodeError = ReturnType<typeof toNodeError>;

/** One input item on its way: checked, queued, waited for, or failed at one of those steps. */
interface Slot {
	action?: QueuedAction;
	client?: ItemClient;
	answer?: QueuedAnswer;
	queuedAt?: number;
	output?: INodeExecutionData[];
	error?: NodeError;
}

const NOTES = {
	message:
		'The message may have been sent anyway, so it was not sent again: check the chat (or the queued requests in the Hypersender dashboard) before running the node again.',
	action:
		'The action may have been carried out anyway, so it was not repeated: check the chat before running the node again.',
};

function callOptions(action: QueuedAction): CallOptions {
	return {
		idempotent: false,
		what: `${action.path} request for the chat "${action.chatId}"`,
		expected: 'JSON with a "queued_request_uuid"',
		mayHaveActedNote: NOTES[action.kind],
		mayHaveActedSummary:
			action.kind === 'message' ? 'it may have been sent, so it was not sent again' : 'it may have been done, so it was not repeated',
	};
}

/** A limit on concurrent calls, shared by every waiting item. */
function limiter(max: number) {
	let running = 0;
	const queue: Array<() => void> = [];
	return async <T>(run: () => Promise<T>): Promise<T> => {
		if (running >= max) await new Promise<void>((resolve) => queue.push(resolve));
		running++;
		try {
			return await run();
		} finally {
			running--;
			queue.shift()?.();
		}
	};
}


/** A sent record as an output item: the message, its serialized `messageId`, and where it came from. */
export function sentItem(record: QueuedRecord, queuedRequestId: string): INodeExecutionData {
	const body = record.response_body;
	const messageId = serializedMessageId(body);
	return {
		json: {
			...(messageId !== undefined ? { messageId } : {}),
			...(isObject(body) ? body : { response: body ?? null }),
			queuedRequestId,
			responseStatus: record.response_status,
		},
	};
}

/** The error for a record that says the call failed: 404, 422 with field errors, or anything else. */
function failedRecordError(
	this: IExecuteFunctions,
	itemIndex: number,
	slot: Required<Pick<Slot, 'action' | 'client' | 'answer'>>,
	record: QueuedRecord,
): NodeApiError {
	const status = record.response_status as number;
	const { message, fieldErrors } = recordFailure(record);
	const id = slot.answer.queuedRequestId;
	const said = message ? ` The API said: "${message}".` : '';
	let text: string;
	let description: string;
	const refused = slot.action.refusal?.(status, message);
	if (refused) {
		text = refused.message;
		description = `${refused.description} (queued request ${id}, status ${status})`;
	} else if (status === 404 && message !== undefined && /message (was )?not found|no such message|unknown message/i.test(message)) {
		text = `Not found: ${message.replace(/\.$/, '')} (the message ID does not name a message of chat "${slot.action.chatId}")`;
		description = `The queued request ${id} (${slot.action.path}) ended with status 404. Use the "messageId" a Send operation output, in the same chat.`;
	} else if (status === 404) {
		text = `Not delivered: the number is not on WhatsApp, or the instance was not found (chat "${slot.action.chatId}")`;
		description = `The queued request ${id} ended with status 404.${said} Check the number with its country code, or the credential's instance.`;
	} else if (status === 422) {
		const fields = fieldErrors.length ? fieldErrors.join('; ') : (message ?? 'no details');
		text = `The Hypersender API rejected the request: ${fields}`;
		description = `The queued request ${id} (${slot.action.path}) ended with status 422 (validation).${said} Nothing was sent.`;
	} else {
		text = `The queued request failed with status ${status}${message ? `: ${message}` : ''}`;
		description = `The queued request ${id} (${slot.action.path}) ended with status ${status}; the API does not report it as done. Check it with Queued Request › Get before running the node again.`;
	}
	const secret = slot.client.connection.apiToken;
	return nodeApiError(this.getNode(), redactSecret(text, secret), {
		description: redactSecret(description, secret),
		itemIndex,
		httpCode: String(status),
		response: fieldErrors.length ? { errors: fieldErrors.map((line) => redactSecret(line, secret)) } : undefined,
	});
}

/** Polls one queued record until it has a status or the wait runs out. */
async function waitForRecord(
	this: IExecuteFunctions,
	itemIndex: number,
	slot: Required<Pick<Slot, 'action' | 'client' | 'answer' | 'queuedAt'>>,
	waitStartedAt: number,
	limit: ReturnType<typeof limiter>,
): Promise<INodeExecutionData[]> {
	const id = slot.answer.queuedRequestId;
	const deadline = waitStartedAt + slot.action.wait.timeoutMs;
	for (;;) {
		let record: QueuedRecord;
		try {
			record = await limit(async () => await readQueuedRecord(slot.client, id));
		} catch (error) {
			// The request itself was queued: say so, and how to follow it, whatever the read ran into.
			const nodeError = toNodeError(this.getNode(), error, itemIndex);
			nodeError.message = `${nodeError.message} (while reading the result; the request was queued as ${id})`;
			addToDescription(nodeError, `Check queued request ${id} later with Queued Request › Get; do not send it again.`);
			throw nodeError;
		}
		if (record.response_status !== null) {
			if (record.response_status >= 200 && record.response_status < 300) return [sentItem(record, id)];
			throw failedRecordError.call(this, itemIndex, slot, record);
		}
		const now = Date.now();
		if (now >= deadline) {
			const seconds = Math.round(slot.action.wait.timeoutMs / 1000);
			throw new NodeOperationError(
				this.getNode(),
				`No result after ${seconds} s: the queued request ${id} is still processing`,
				{
					itemIndex,
					description: `The request was queued and may still be carried out. Check it later with Queued Request › Get and the ID ${id}, or raise the "Wait Timeout" option.`,
				},
			);
		}
		const waited = await slot.client.clock.pause(Math.min(nextPollDelay(now - slot.queuedAt), deadline - now));
		if (!waited || slot.client.clock.signal?.aborted) {
			throw new NodeOperationError(this.getNode(), `The execution was cancelled while waiting for the queued request ${id}`, {
				itemIndex,
				description: 'The request was queued and may still be carried out. Check it with Queued Request › Get.',
			});
		}
	}
}

function queuedSummary(slots: Slot[], except: number): string {
	const queued = slots.filter((slot, index) => index !== except && slot.answer).map((slot) => slot.answer!.queuedRequestId);
	if (queued.length === 0) return '';
	const shown = queued.slice(0, 10).join(', ');
	const more = queued.length > 10 ? ` and ${queued.length - 10} more` : '';
	return `${queued.length} other input item(s) of this run were queued, so they are sent or being sent (queued requests ${shown}${more}): do not run the same input again without removing them, or turn on "On Error: Continue" to get one output item per input item.`;
}

/** An uncertain item of an earlier try, failed again with the same words: it is not sent again. */
function repeatedFailure(this: IExecuteFunctions, itemIndex: number, earlier: Extract<LedgerEntry, { state: 'uncertain' }>): NodeError {
	return nodeApiError(this.getNode(), earlier.error.message, {
		itemIndex,
		httpCode: earlier.error.httpCode,
		description: `${earlier.error.description} n8n ran the node again (Retry On Fail); this item failed in an earlier try in a way that may have sent it, so it was not sent again.`,
	});
}

/** The operation's own error for a refusal of its POST it knows (./kinds QueuedAction.refusal), else undefined. */
function refusedError(this: IExecuteFunctions, itemIndex: number, action: QueuedAction, error: unknown): NodeError | undefined {
	const failure = failureOf(error);
	if (!action.refusal || failure?.type !== 'status') return undefined;
	const refused = action.refusal(failure.status, failure.apiMessage);
	if (!refused) return undefined;
	return nodeApiError(this.getNode(), refused.message, { itemIndex, httpCode: String(failure.status), description: refused.description });
}

/**
 * Queues one item, or takes what an earlier try of this node did with it (./retryLedger): an item
 * queued before is not queued again, one that may have been sent fails again as it did, and only
 * one that surely was not sent is sent.
 */
async function queueItem(this: IExecuteFunctions, index: number, slot: Slot, ledger: RunLedger): Promise<void> {
	const action = slot.action!;
	const fingerprint = requestFingerprint(action);
	const earlier = ledger.earlier(index, fingerprint);
	if (earlier?.state === 'uncertain') throw repeatedFailure.call(this, index, earlier);
	const client = await createItemClient.call(this, index, action.requestOptions);
	slot.client = client;
	if (earlier?.state === 'queued') {
		slot.answer = earlier.answer;
		slot.queuedAt = earlier.queuedAt;
	} else {
		const how = callOptions(action);
		const parts = action.parts ? await action.parts() : undefined;
		try {
			const response = await client.call({ method: action.method, path: action.path, qs: action.qs, body: action.body, parts }, how);
			const answer = parseQueuedAnswer(response);
			if ('problem' in answer) throw client.unexpected(answer.problem, how);
			slot.answer = answer;
			slot.queuedAt = Date.now();
			ledger.queued(index, fingerprint, answer, slot.queuedAt);
		} catch (error) {
			const nodeError = refusedError.call(this, index, action, error) ?? toNodeError(this.getNode(), error, index);
			if (mayHaveBeenCarriedOut(error)) {
				ledger.uncertain(index, fingerprint, {
					message: nodeError.message,
					description: nodeError.description ?? '',
					httpCode: (nodeError as NodeApiError).httpCode ?? undefined,
				});
			}
			throw nodeError;
		}
	}
	if (!action.wait.enabled) {
		const answer = slot.answer;
		slot.output = [{ json: { queued: answer.queued, queuedRequestId: answer.queuedRequestId, queuedRequestLink: answer.queuedRequestLink } }];
	}
}

/**
 * Runs a queued operation over all input items: checks every item first (so bad input stops
 * the node before anything is sent), queues them in input order, then waits for all the items
 * that asked for their result at once, so the wait is about the slowest one, not the sum.
 * n8n may run it again for the same items (Retry On Fail): ./retryLedger keeps that from
 * queuing anything twice.
 */
export async function runQueued(this: IExecuteFunctions, operation: QueuedOperation, output: RunOutput): Promise<void> {
	const ledger = openLedger(this);
	let finished = false;
	try {
		await runQueuedTry.call(this, operation, ledger, output);
		finished = true;
	} finally {
		ledger.finish(finished ? output.items() : undefined);
	}
}

/** What the one health read of an instance gave: its health, or the error every item that needed it fails with. */
type HealthCheck = { health: InstanceHealth } | { error: NodeError };

/** The error of an item whose instance is not connected: the status, and what to do about it. */
function notConnected(this: IExecuteFunctions, itemIndex: number, health: InstanceHealth): NodeOperationError {
	return new NodeOperationError(
		this.getNode(),
		`The WhatsApp instance "${health.instanceId}" is not connected (status ${health.status}), so nothing was sent: ${connectionAdvice(health.status)}`,
		{
			itemIndex,
			description:
				'"Require Connected Instance" is on: the node read the instance\'s health before queuing anything and found it not WORKING. Instance › Get Health shows its state; turn the option off to queue without this check.',
		},
	);
}

/** The health read's failure, for one item that needed it. */
function healthReadFailed(this: IExecuteFunctions, itemIndex: number, error: NodeError): NodeError {
	const copy = nodeApiError(this.getNode(), `${error.message} (while checking that the instance is connected; nothing was sent)`, {
		itemIndex,
		httpCode: (error as NodeApiError).httpCode ?? undefined,
		description: error.description ?? '',
	});
	addToDescription(
		copy,
		'"Require Connected Instance" is on, and the instance\'s health could not be read. Turn the option off to queue without this check.',
	);
	return copy;
}

/**
 * Require Connected Instance: before anything is queued, the health of each instance that an item
 * asking for it goes to is read once (the API allows 10 reads a minute), and those items fail
 * unless it is WORKING. An item an earlier try already queued (or may have sent) is not sent
 * again anyway (./retryLedger), so it needs no check.
 */
async function checkConnected(this: IExecuteFunctions, slots: Slot[], ledger: RunLedger, fail: (index: number, error: unknown) => void): Promise<void> {
	const checks = new Map<string, HealthCheck>();
	for (let index = 0; index < slots.length; index++) {
		const action = slots[index].action;
		if (!action?.requestOptions.requireConnected || ledger.earlier(index, requestFingerprint(action))) continue;
		try {
			const client = await createItemClient.call(this, index, action.requestOptions);
			const key = JSON.stringify([client.connection.baseUrl, client.connection.instanceId]);
			let check = checks.get(key);
			if (!check) {
				check = await readInstanceHealth(client).then(
					(health) => ({ health }),
					(error: unknown) => ({ error: toNodeError(this.getNode(), error, index) }),
				);
				checks.set(key, check);
			}
			if ('error' in check) throw healthReadFailed.call(this, index, check.error);
			if (!check.health.connected) throw notConnected.call(this, index, check.health);
		} catch (error) {
			slots[index].action = undefined;
			fail(index, error);
		}
	}
}

async function runQueuedTry(this: IExecuteFunctions, operation: QueuedOperation, ledger: RunLedger, output: RunOutput): Promise<void> {
	const slots: Slot[] = this.getInputData().map(() => ({}));
	// Without continue-on-fail, the error that stops the node says what else of this run was queued.
	const fail = (index: number, error: unknown) =>
		output.failed(index, error, {
			json: slots[index].answer ? { queuedRequestId: slots[index].answer.queuedRequestId } : undefined,
			stopNote: () => queuedSummary(slots, index),
		});

	for (let index = 0; index < slots.length; index++) {
		try {
			slots[index].action = await operation.prepare.call(this, index);
		} catch (error) {
			fail(index, error);
		}
	}

	await checkConnected.call(this, slots, ledger, fail);

	for (let index = 0; index < slots.length; index++) {
		if (!slots[index].action) continue;
		try {
			await queueItem.call(this, index, slots[index], ledger);
		} catch (error) {
			fail(index, error);
		}
	}

	const waitStartedAt = Date.now();
	const limit = limiter(POLL_CONCURRENCY);
	await Promise.all(
		slots.map(async (slot, index) => {
			if (slot.output || slot.error || !slot.action || !slot.client || !slot.answer || slot.queuedAt === undefined) return;
			const ready = { action: slot.action, client: slot.client, answer: slot.answer, queuedAt: slot.queuedAt };
			try {
				slot.output = await waitForRecord.call(this, index, ready, waitStartedAt, limit);
			} catch (error) {
				slot.error = toNodeError(this.getNode(), error, index);
			}
		}),
	);

	for (let index = 0; index < slots.length; index++) {
		const slot = slots[index];
		if (slot.error) fail(index, slot.error);
		else if (slot.output) output.succeeded(index, slot.output);
	}
}
