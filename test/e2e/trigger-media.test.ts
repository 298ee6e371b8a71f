/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
/**
 * Incoming media as n8n files, in a real n8n: the packed package, `n8n start`, a workflow of the
 * Hypersender Trigger (Download Media on) and n8n's own Crypto node hashing the file it got. The
 * sandbox's simulated customers send media served from its media host (another port, no token
 * expected) or from the API's own origin (token expected), with expiring links.
 *
 *   - each kind (voice note, image, document, video, sticker) arrives as a file, byte for byte,
 *     with its type and a file name; the item's media link has lost its signature;
 *   - the API token reaches only the API origin: the media host never sees it;
 *   - an expired link, a missing file or an engine error: mediaError says so, and the event still
 *     starts exactly one execution;
 *   - a 20 MB file over a slow link: the webhook is answered in well under a second;
 *   - 50 webhooks with 5 MB media each: all answered, each starts exactly one execution, every
 *     file byte for byte.
 */
import { randomBytes } from 'node:crypto';

import type { Editor, SavedExecution, Session } from '../../scripts/n8n/runtime';
import type { SandboxMedia, SimulationResult } from '../harness/sandbox';
import type { Workflow } from './n8n-harness';
import { CREDENTIAL_TYPE, N8nHarness, PACKAGE_NAME, runtime } from './n8n-harness';

const INSTANCE = '5f4dcc3b-5aa7-4d61-8d32-7a1b2c3d4e5f';
const SECRET = `whsec-${randomBytes(16).toString('hex')}`;
const CREDENTIAL = { id: 'hsMediaCredential', name: 'Hypersender (media e2e)' };
const FLOW = { id: 'hsTriggerMedia', webhookId: 'c4d5e6f7-a8b9-4c0d-8e1f-2a3b4c5d6e7f' };
const TRIGGER = 'Hypersender Trigger';
const HASH = 'Hash the file';
const MB = 1024 * 1024;

let harness: N8nHarness;
let editor: Editor;
let session: Session;

/** Trigger (Download Media on) → Crypto: SHA-256 of the binary field `data`, hex, into `sha256`. */
function mediaWorkflow(): Workflow {
	return {
		id: FLOW.id,
		name: 'Incoming media as files',
		nodes: [
			{
				id: 'c4d5e6f7-0000-4000-8000-000000000001',
				name: TRIGGER,
				type: `${PACKAGE_NAME}.hypersenderTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: FLOW.webhookId,
				parameters: { events: ['message.any'], options: { downloadMedia: true } },
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
			},
			{
				id: 'c4d5e6f7-0000-4000-8000-000000000002',
				name: HASH,
				type: 'n8n-nodes-base.crypto',
				typeVersion: 2,
				position: [220, 0],
				// A missing file (mediaError) must not fail the run: the item goes on without a hash.
				onError: 'continueRegularOutput',
				parameters: { action: 'hash', binaryData: true, binaryPropertyName: 'data', type: 'SHA256', encoding: 'hex', dataPropertyName: 'sha256' },
			},
		],
		connections: { [TRIGGER]: { main: [[{ node: HASH, type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** The trigger's one item and what the Crypto node made of it. */
function outcome(execution: SavedExecution) {
	const [trigger] = runtime.savedItems(execution, TRIGGER) ?? [];
	const [hashed] = runtime.savedItems(execution, HASH) ?? [];
	return {
		json: trigger.json,
		binary: (trigger as { binary?: Record<string, { mimeType: string; fileName: string }> }).binary,
		sha256: hashed?.json.sha256,
	};
}

async function sendMedia(input: Record<string, unknown>): Promise<{ result: SimulationResult; media: SandboxMedia }> {
	const result = await harness.sandbox.simulate(INSTANCE, 'media', { from: '+49 151 40000001', ...input });
	expect(result.events.map((event) => [event.event, event.status])).toEqual([['message.any', 200]]);
	return { result, media: result.media! };
}

beforeAll(async () => {
	harness = await N8nHarness.start({ name: 'e2e-media', instances: { [INSTANCE]: { size: 10, seed: 5 } } });
	const data = { apiToken: harness.sandbox.token, baseUrl: harness.sandbox.baseUrl, instanceId: INSTANCE, webhookSecret: SECRET };
	await runtime.importCredentials(harness.home, [{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data }]);
	await runtime.importWorkflow(harness.home, [mediaWorkflow()]);
	editor = await runtime.startEditor(harness.home, { port: await runtime.freePort() });
	session = await runtime.setupOwner(editor.url, { email: 'media@example.com', password: 'Media-Test-1234' });
	await runtime.activateWorkflow(editor.url, session, FLOW.id);
	harness.sandbox.setWebhook(INSTANCE, { url: `${editor.url}/webhook/${FLOW.webhookId}/webhook`, secret: SECRET });
}, 5 * 60 * 1000);

afterAll(async () => {
	await editor?.stop();
	await harness?.close();
});

test('each kind arrives as a file, byte for byte; the token reaches only the API origin', async () => {
	const sends: Array<[string, 'api' | 'media-host']> = [
		['voice', 'api'],
		['image', 'media-host'],
		['document', 'api'],
		['video', 'media-host'],
		['sticker', 'media-host'],
	];
	for (const [kind, origin] of sends) {
		const before = harness.lastExecutionId();
		harness.sandbox.clearMediaRequests();
		const { result, media } = await sendMedia({ kind, origin });
		const [execution] = await harness.executionsAfter(FLOW.id, before, 1);
		const { json, binary, sha256 } = outcome(execution);
		expect({ kind, mediaError: json.mediaError, sha256, type: binary?.data.mimeType }).toEqual({
			kind,
			mediaError: null,
			sha256: media.sha256,
			type: media.mimetype,
		});
		// The message's own file name, else its ID and an extension from the type.
		const keyId = result.messageId!.split('_').pop()!;
		expect(binary?.data.fileName).toEqual(media.filename ?? expect.stringMatching(new RegExp(`^${keyId}\\.(ogg|jpg|mp4|webp)$`)));
		// The link stays in the item, without its signature.
		expect((json.media as { url: string }).url).toBe(media.url!.split('?')[0]);
		const requests = harness.sandbox.mediaRequests().filter((request) => request.mediaId === media.id);
		expect(requests.map((request) => [request.origin, request.authorization, request.tokenSent, request.status])).toEqual([
			origin === 'api' ? ['api', 'present', true, 200] : ['media-host', 'missing', false, 200],
		]);
	}
}, 120_000);

test('an expired link, a missing file, an engine error, a file over Max Media Size: mediaError says so, and still one execution each', async () => {
	const before = harness.lastExecutionId();
	await sendMedia({ kind: 'image', expiresInMs: 1 });
	await sendMedia({ kind: 'document', notFound: true });
	await sendMedia({ kind: 'voice', error: 'Media not available' });
	const { media: large } = await sendMedia({ kind: 'video', size: 30 * MB });
	const executions = await harness.executionsAfter(FLOW.id, before, 4);
	expect(executions).toHaveLength(4);
	const errors = executions.map((execution) => outcome(execution)).map(({ json, binary }) => ({ error: json.mediaError, binary }));
	expect(errors).toEqual([
		{ error: expect.stringMatching(/refused or has expired \(403/), binary: undefined },
		{ error: expect.stringMatching(/not found \(404/), binary: undefined },
		{ error: 'Hypersender could not provide the media: Media not available', binary: undefined },
		{ error: expect.stringMatching(/over Max Media Size \(25\.0 MB\); it was not downloaded\. Raise Max Media Size, or leave this media type out of Media Types/), binary: undefined },
	]);
	// Asked for once: a file over the limit is not retried.
	expect(harness.sandbox.mediaRequests().filter((each) => each.mediaId === large.id)).toHaveLength(1);
	expect(JSON.stringify(errors)).not.toContain(harness.sandbox.token);
}, 120_000);

test('inline base64 instead of a link, and a document without a file name: the same files', async () => {
	const before = harness.lastExecutionId();
	const { media: inline } = await sendMedia({ kind: 'image', inline: true, size: 4096 });
	const { media: unnamed, result } = await sendMedia({ kind: 'document', noFilename: true });
	const [first, second] = (await harness.executionsAfter(FLOW.id, before, 2)).map((execution) => outcome(execution));
	expect([first.sha256, first.json.mediaError, (first.json.media as Record<string, unknown>).data]).toEqual([inline.sha256, null, undefined]);
	expect([second.sha256, second.binary?.data.fileName]).toEqual([unnamed.sha256, `${result.messageId!.split('_').pop()}.pdf`]);
}, 120_000);

test('a 20 MB file over a slow link: the webhook is answered in well under a second, the file still arrives', async () => {
	const before = harness.lastExecutionId();
	const { result, media } = await sendMedia({ kind: 'video', size: 20 * MB, throttleBytesPerSecond: 4 * MB });
	const answeredInMs = result.events[0].durationMs!;
	process.stdout.write(`media: a 20 MB video at 4 MB/s: the webhook answered in ${answeredInMs} ms\n`);
	expect(answeredInMs).toBeLessThan(1000);
	const [execution] = await harness.executionsAfter(FLOW.id, before, 1, 90_000);
	expect(outcome(execution).sha256).toBe(media.sha256);
}, 150_000);

test('50 webhooks with 5 MB media each: all answered, each starts exactly one execution, every file byte for byte', async () => {
	const before = harness.lastExecutionId();
	const started = Date.now();
	const sent: SandboxMedia[] = [];
	for (let batch = 0; batch < 50; batch += 10) {
		const results = await Promise.all(
			Array.from({ length: 10 }, async (_, index) => await sendMedia({ kind: 'image', size: 5 * MB, from: `+49 151 5${String(batch + index).padStart(7, '0')}` })),
		);
		sent.push(...results.map(({ media }) => media));
	}
	const executions = await harness.executionsAfter(FLOW.id, before, 50, 180_000);
	process.stdout.write(`media: 50 × 5 MB: ${executions.length} executions in ${Date.now() - started} ms\n`);
	expect(executions).toHaveLength(50);
	const hashes = executions.map((execution) => outcome(execution).sha256).sort();
	expect(hashes).toEqual(sent.map((media) => media.sha256).sort());
}, 300_000);
