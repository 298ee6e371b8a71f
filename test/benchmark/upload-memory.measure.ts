/**
 * The memory a 200 MB upload costs: Message › Send File with Source "Binary File", run by
 * n8n-core's WorkflowExecute against an API on 127.0.0.1 (in a child process, so its buffers do not
 * count) that reads the body, counts it and throws it away. It prints figures, it does not judge
 * them: the only assertion is that the server received the whole body once.
 *
 *   node --expose-gc node_modules/.bin/jest --ci --runInBand \
 *     --testMatch '**\/upload-memory.measure.ts' test/benchmark/upload-memory.measure.ts
 *
 * Two ways n8n holds the file: in the item as base64 (n8n's in-memory binary mode; the string is
 * there before the node runs), and in n8n's filesystem binary store (its default), where the item
 * holds only an id. The baseline is taken after a GC with the input in place; the figure is the
 * peak during the run above it, sampled every 5 ms. UPLOAD_MB sets the size (default 200).
 */
/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions, no-console --
   a measuring script run by jest in Node, not a node in n8n Cloud: it starts the server process,
   reads the process's memory on a timer and prints what it measured */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { spawn } from 'node:child_process';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { mkdtempSync, rmSync } from 'node:fs';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { tmpdir } from 'node:os';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test code run by jest in Node, not a node in n8n Cloud
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type { INodeExecutionData } from 'n8n-workflow';

import { runHypersenderNode } from '../harness/n8n-core';

// n8n-core reads its settings (binary store, instance folder) from the environment when it first
// builds them, which may be during the first run: set before it, to a folder of this script's own.
const folder = mkdtempSync(join(tmpdir(), 'hypersender-upload-memory-'));
process.env.N8N_USER_FOLDER = folder;
process.env.N8N_BINARY_DATA_STORAGE_PATH = join(folder, 'binary');
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';

const SIZE = Number(process.env.UPLOAD_MB ?? 200) * 1024 * 1024;
const MB = 1024 * 1024;

/** The API: every POST is read to the end, counted and answered as queued. */
const SERVER = `
const http = require('node:http');
const server = http.createServer((request, response) => {
	let bytes = 0;
	request.on('data', (chunk) => (bytes += chunk.length));
	request.on('end', () => {
		process.stdout.write(JSON.stringify({ method: request.method, bytes, declared: Number(request.headers['content-length']) }) + '\\n');
		response.writeHead(200, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ queued: true, queued_request_uuid: 'm-' + Date.now() }));
	});
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\\n'));
`;

async function startServer() {
	const child = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
	const lines: Array<Record<string, number | string>> = [];
	let waiting: (() => void) | undefined;
	let buffered = '';
	child.stdout.on('data', (chunk: Buffer) => {
		buffered += chunk.toString();
		let end: number;
		while ((end = buffered.indexOf('\n')) >= 0) {
			lines.push(JSON.parse(buffered.slice(0, end)) as Record<string, number | string>);
			buffered = buffered.slice(end + 1);
			waiting?.();
		}
	});
	while (lines.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
	const port = lines.shift()!.port;
	return { baseUrl: `http://127.0.0.1:${port}/api/whatsapp/v2`, requests: lines, stop: () => child.kill() };
}

type Usage = ReturnType<typeof process.memoryUsage>;
const FIELDS = ['rss', 'heapUsed', 'external', 'arrayBuffers'] as const;

function collect() {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('Run with node --expose-gc (see the header of this file)');
	gc();
	gc();
}

async function measure(label: string, inputData: INodeExecutionData[], baseUrl: string) {
	collect();
	const before: Usage = process.memoryUsage();
	const peak: Usage = { ...before };
	const sample = () => {
		const now = process.memoryUsage();
		for (const field of FIELDS) peak[field] = Math.max(peak[field], now[field]);
	};
	const timer = setInterval(sample, 5);
	const started = Date.now();
	const result = await runHypersenderNode({
		// Max File Size raised for the run: 200 MB is over Send File's default of 100 MB.
		parameters: {
			resource: 'message',
			operation: 'sendFile',
			chatId: '4915123456789',
			source: 'binary',
			options: { maxFileSize: 2048 },
		} as never,
		credentials: { apiToken: 'measure-token', instanceId: 'inst-m', baseUrl },
		inputData,
	});
	clearInterval(timer);
	sample();
	if (result.error) throw result.error;
	const extra = Object.fromEntries(FIELDS.map((field) => [field, `+${((peak[field] - before[field]) / MB).toFixed(0)} MB`]));
	console.log(
		`${label}: ${(SIZE / MB).toFixed(0)} MB file sent in ${Date.now() - started} ms; peak above baseline ${JSON.stringify(extra)}; ` +
			`baseline rss ${(before.rss / MB).toFixed(0)} MB`,
	);
}

test('memory of a 200 MB upload', async () => {
	const server = await startServer();
	try {
		const file = Buffer.alloc(SIZE, 0x5a);
		const base64 = file.toString('base64');
		const params = { mimeType: 'application/pdf', fileName: 'big.pdf' };
		const item = (binary: INodeExecutionData['binary']): INodeExecutionData[] => [{ json: {}, binary }];
		await measure('in-item base64', item({ data: { data: base64, mimeType: params.mimeType, fileName: params.fileName } }), server.baseUrl);

		const service = Container.get(BinaryDataService);
		await service.init();
		const stored = await service.store({ type: 'execution', workflowId: 'harness', executionId: 'harness-execution' }, file, {
			data: '',
			mimeType: params.mimeType,
			fileName: params.fileName,
		});
		await measure('filesystem store', item({ data: stored }), server.baseUrl);

		const posts = server.requests.filter((request) => request.method === 'POST');
		for (const post of posts) console.log(`received ${post.bytes} bytes (Content-Length ${post.declared})`);
		expect(posts).toHaveLength(2);
		for (const post of posts) {
			expect(post.bytes).toBe(post.declared);
			expect(post.bytes).toBeGreaterThan(SIZE);
		}
	} finally {
		server.stop();
		rmSync(folder, { recursive: true, force: true });
	}
}, 600_000);
