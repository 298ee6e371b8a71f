/**
 * What the queue-mode suite (queue-mode.spec.ts) works with: the sandbox's instances and the
 * credentials on them, the ids of its workflows and the workflows themselves, and small helpers.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { QueueHarness, SandboxContact, WorkflowNode } from './queue-harness';
import { CONTACT_TRIGGER_TYPE, squarePng, TRIGGER_TYPE } from './queue-harness';

export const BIG = 'b16b16b1-0000-4000-8000-000000100000';
export const BIG_SIZE = 100000;
export const HOOK = '2b7e151a-28ae-4d2a-9f1c-3c4d5e6f7a8b';
export const BOOK = '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b';
export const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
export const CREDENTIALS = {
	big: { id: 'hsQueueBig', name: 'Hypersender (100,000 contacts)', instanceId: BIG },
	hook: { id: 'hsQueueHook', name: 'Hypersender (webhooks)', instanceId: HOOK, webhookSecret: SECRET },
	book: { id: 'hsQueueBook', name: 'Hypersender (address book)', instanceId: BOOK },
};
export const ALL_EVENTS = ['message.any', 'message.ack', 'message.reaction', 'message.revoked', 'message.waiting', 'poll.vote', 'poll.vote.failed', 'presence.update'];
export const NEW_PHONE = '447700900777';
export const LOAD = 200;
/** Webhook calls in flight at once in (d). */
export const LOAD_CONCURRENCY = 20;
/** The Contact Trigger polls at seconds 0, 15, 30 and 45 of every minute (n8n refuses sub-minute crons). */
export const POLL_SECONDS = [0, 15, 30, 45];
export const POLL_INTERVAL_MS = 15000;

export const W = {
	all: { id: 'hsQueueReturnAll' },
	contactGet: { id: 'hsQueueContactGet' },
	upsert: { id: 'hsQueueUpsert' },
	picture: { id: 'hsQueuePicture' },
	image: { id: 'hsQueueImage' },
	text: { id: 'hsQueueText' },
	events: { id: 'hsQueueEvents', webhookId: 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d' },
	load: { id: 'hsQueueLoad', webhookId: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e' },
	killed: { id: 'hsQueueKilled', webhookId: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f' },
	book: { id: 'hsQueueBook' },
};

export const png = squarePng(24, [37, 211, 102]);
export const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
export const isWorker = (name: string | undefined) => /^worker-\d+$/.test(name ?? '');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function trigger(webhookId: string, events: string[]): WorkflowNode {
	return {
		id: `7a1e0000-0000-4000-8000-${webhookId.slice(-12)}`,
		name: 'Hypersender Trigger',
		type: TRIGGER_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: { events, options: {} },
		credentials: { hypersenderApi: { id: CREDENTIALS.hook.id, name: CREDENTIALS.hook.name } },
	};
}

/** The workflows run by hand: contacts, pictures and images (binary data), texts, queued requests. */
function operationWorkflows(q: QueueHarness, phone: SandboxContact, pictureContact: string) {
	const getAll = (credential = CREDENTIALS.big) => q.hypersender('Get many', { resource: 'contact', operation: 'getAll', returnAll: true }, credential);
	return [
		q.chain('Return all 100,000', [getAll()], undefined, W.all.id),
		q.chain('Contact get', [q.hypersender('Get contact', { resource: 'contact', operation: 'get', chatId: `+${phone.id.split('@')[0]}` })], undefined, W.contactGet.id),
		q.chain(
			'Create or update, then get',
			[
				q.hypersender('Create or update', {
					resource: 'contact',
					operation: 'upsert',
					chatId: NEW_PHONE,
					firstName: 'Grace',
					options: { lastName: 'Hopper', confirm: true, confirmWait: 1 },
				}),
				q.hypersender('Get it', { resource: 'contact', operation: 'get', chatId: NEW_PHONE }),
			],
			undefined,
			W.upsert.id,
		),
		q.chain(
			'Picture downloaded, then sent',
			[
				q.hypersender('Get picture', {
					resource: 'contact',
					operation: 'getProfilePicture',
					chatId: pictureContact,
					options: { download: true, binaryPropertyName: 'avatar' },
				}),
				q.hypersender('Send picture', {
					resource: 'message',
					operation: 'sendImage',
					chatId: phone.id,
					source: 'binary',
					binaryPropertyName: 'avatar',
					options: { caption: 'Your picture', waitForResult: true },
				}),
			],
			undefined,
			W.picture.id,
		),
		q.chain(
			'Image from a Code node',
			[
				{
					name: 'Picture as base64',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					position: [0, 0],
					parameters: { jsCode: `return [{ json: { png: ${JSON.stringify(png.toString('base64'))} } }];` },
				},
				{
					name: 'To file',
					type: 'n8n-nodes-base.convertToFile',
					typeVersion: 1.1,
					position: [0, 0],
					parameters: { operation: 'toBinary', sourceProperty: 'png', options: { fileName: 'square.png', mimeType: 'image/png' } },
				},
				q.hypersender('Send image', {
					resource: 'message',
					operation: 'sendImage',
					chatId: phone.id,
					source: 'binary',
					binaryPropertyName: 'data',
					options: { caption: 'A small square' },
				}),
				q.hypersender('Get queued request', { resource: 'queuedRequest', operation: 'get', queuedRequestId: '={{ $json.queuedRequestId }}' }),
			],
			undefined,
			W.image.id,
		),
	];
}

/** The workflows started by a trigger: Hypersender Trigger events (through the webhook processor), the Contact Trigger's polls. */
function triggerWorkflows(q: QueueHarness, phone: SandboxContact) {
	const getAll = (credential = CREDENTIALS.big) => q.hypersender('Get many', { resource: 'contact', operation: 'getAll', returnAll: true }, credential);
	return [
		q.chain(
			'Text, waiting for the result',
			[
				q.hypersender('Send text', {
					resource: 'message',
					operation: 'sendText',
					chatId: phone.id,
					text: 'Sent by a worker',
					options: { waitForResult: true },
				}),
				q.hypersender('Get queued request', { resource: 'queuedRequest', operation: 'get', queuedRequestId: '={{ $json.queuedRequestId }}' }),
			],
			undefined,
			W.text.id,
		),
		q.chain('Every Hypersender event', [], trigger(W.events.webhookId, ALL_EVENTS), W.events.id),
		q.chain(
			'Look up who wrote',
			[q.hypersender('Look up', { resource: 'contact', operation: 'get', chatId: '={{ $json.chatId }}' }, CREDENTIALS.hook)],
			trigger(W.load.webhookId, ['message.any']),
			W.load.id,
		),
		q.chain('Killed mid return all', [getAll()], trigger(W.killed.webhookId, ['message.any']), W.killed.id),
		q.chain(
			'New and renamed contacts',
			[],
			{
				id: 'c0417ac7-0000-4000-8000-000000000001',
				name: 'Hypersender Contact Trigger',
				type: CONTACT_TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: POLL_SECONDS.map((second) => ({ mode: 'custom', cronExpression: `${second} * * * * *` })) },
					options: { includeNameChanges: true },
				},
				credentials: { hypersenderApi: { id: CREDENTIALS.book.id, name: CREDENTIALS.book.name } },
			},
			W.book.id,
		),
	];
}

/** Every workflow of the suite, imported once before the tests. */
export function workflows(q: QueueHarness, phone: SandboxContact, pictureContact: string) {
	return [...operationWorkflows(q, phone, pictureContact), ...triggerWorkflows(q, phone)];
}
