/** Shared by the webhook tests: a small server on 127.0.0.1 that receives deliveries, and waiting for them. */
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code run by jest in Node, not a node in n8n Cloud */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { WebhookEnvelope } from '../harness/sandbox';
import { sleep } from './helpers';

export interface Received<P = Record<string, unknown>> {
	method: string;
	path: string;
	/** Lower-case names. */
	headers: http.IncomingHttpHeaders;
	/** As sent on the wire: name, value, name, value… */
	rawHeaders: string[];
	body: WebhookEnvelope<P>;
	/** When it arrived and when it was answered (ms since the epoch). */
	at: number;
	answeredAt: number;
}

export interface Receiver {
	url: string;
	received: Received[];
	/** How each request is answered: status and a delay (default 200 at once). */
	respond: (index: number) => { status?: number; delayMs?: number };
	/** The most deliveries under way at the same time. */
	maxConcurrent: number;
	/** Resolves once `count` deliveries arrived (at most 5 s). */
	waitFor(count: number): Promise<Received[]>;
	close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1; every test that starts one closes it. */
export async function startReceiver(path = '/webhook/test'): Promise<Receiver> {
	let concurrent = 0;
	const timers = new Set<NodeJS.Timeout>();
	const server = http.createServer((req, res) => {
		concurrent++;
		receiver.maxConcurrent = Math.max(receiver.maxConcurrent, concurrent);
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const index = receiver.received.length;
			const entry: Received = {
				method: req.method ?? '',
				path: req.url ?? '',
				headers: req.headers,
				rawHeaders: req.rawHeaders,
				body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
				at: Date.now(),
				answeredAt: 0,
			};
			receiver.received.push(entry);
			const { status = 200, delayMs = 0 } = receiver.respond(index);
			const answer = () => {
				concurrent--;
				entry.answeredAt = Date.now();
				res.writeHead(status, { 'Content-Type': 'text/plain' });
				res.end('ok');
			};
			if (delayMs <= 0) answer();
			else {
				const timer = setTimeout(() => {
					timers.delete(timer);
					answer();
				}, delayMs);
				timers.add(timer);
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const receiver: Receiver = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
		received: [],
		respond: () => ({}),
		maxConcurrent: 0,
		async waitFor(count) {
			const deadline = Date.now() + 5000;
			while (receiver.received.length < count) {
				if (Date.now() > deadline) throw new Error(`only ${receiver.received.length} of ${count} deliveries arrived`);
				await sleep(5);
			}
			return receiver.received;
		},
		close() {
			for (const timer of timers) clearTimeout(timer);
			return new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
	return receiver;
}

/** The value of a header as sent, with its name's exact case (undefined when absent). */
export function rawHeader(received: Received, name: string): { name: string; value: string } | undefined {
	for (let i = 0; i < received.rawHeaders.length; i += 2) {
		if (received.rawHeaders[i].toLowerCase() === name.toLowerCase()) return { name: received.rawHeaders[i], value: received.rawHeaders[i + 1] };
	}
	return undefined;
}

export const EVENT_ID = /^evt_[0-9a-f]{24}$/;
