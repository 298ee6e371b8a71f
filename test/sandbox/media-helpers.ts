/** Shared by the media tests: simulating a media message and downloading its link. */
import type { Sandbox } from './helpers';
import { DEFAULT_INSTANCE, DEFAULT_TOKEN } from './helpers';

export type Simulation = Awaited<ReturnType<Sandbox['simulate']>>;
export type MediaRecord = NonNullable<Simulation['media']>;

/** simulate('media') with the input given; the result's media and payload typed for the tests. */
export async function simulateMedia(sandbox: Sandbox, input: Record<string, unknown>) {
	const result = await sandbox.simulate(DEFAULT_INSTANCE, 'media', input);
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- payloads are checked field by field
	return { result, media: result.media as MediaRecord, payload: result.payload as Record<string, any> };
}

export interface Download {
	status: number;
	headers: Headers;
	bytes: Buffer;
	json?: { message?: string };
}

/** GETs a link (with the sandbox token when `token` is true, or the Authorization header given). */
export async function download(url: string, token: boolean | string = false, method = 'GET'): Promise<Download> {
	const headers: Record<string, string> = {};
	if (token === true) headers.Authorization = `Bearer ${DEFAULT_TOKEN}`;
	else if (typeof token === 'string') headers.Authorization = token;
	const response = await fetch(url, { method, headers });
	const bytes = Buffer.from(await response.arrayBuffer());
	const json = response.headers.get('content-type') === 'application/json' ? (JSON.parse(bytes.toString('utf8')) as { message?: string }) : undefined;
	return { status: response.status, headers: response.headers, bytes, json };
}
