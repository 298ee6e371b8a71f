/** POST /openai/v1/audio/transcriptions: the sandbox's own voice notes are heard, other audio is refused as OpenAI does. */
import type { Sandbox } from './helpers';
import { control, readJson, useSandbox } from './helpers';
import { download, simulateMedia } from './media-helpers';
import { DEFAULT_TRANSCRIPT, LLM_PATH, TRANSCRIPTION_MODEL_ID, mediaBytes } from '../../sandbox/server';
import { decide } from '../../sandbox/llm';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});

/** A multipart request as OpenAI's clients (and n8n's OpenAI node) send it. */
function transcribe(file: Buffer | null, fields: Record<string, string> = { model: TRANSCRIPTION_MODEL_ID }, key: string | null = 'sk-any') {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	if (file) form.append('file', new Blob([file], { type: 'audio/ogg' }), 'voice.ogg');
	const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
	return fetch(`${sandbox.url}${LLM_PATH}/audio/transcriptions`, { method: 'POST', body: form, headers });
}

test('a voice note the sandbox made (downloaded from its link) is heard as its transcript', async () => {
	const { media } = await simulateMedia(sandbox, { kind: 'voice' });
	const bytes = (await download(media.url as string)).bytes;
	const response = await transcribe(bytes);
	expect(response.status).toBe(200);
	expect(await response.json()).toEqual({ text: DEFAULT_TRANSCRIPT });
	expect(sandbox.transcriptionRequests).toEqual([
		{
			id: expect.stringMatching(/^transcription-sandbox-\d+$/),
			at: expect.any(Number),
			model: 'whisper-1',
			file: { filename: 'voice.ogg', mimetype: 'audio/ogg', size: media.size, sha256: media.sha256 },
			fields: {},
			known: true,
			text: DEFAULT_TRANSCRIPT,
			status: 200,
		},
	]);
	expect(JSON.stringify(sandbox.transcriptionRequests)).not.toContain('sk-any');
});

test('the transcript is set per voice note; response_format text, verbose_json, srt and vtt', async () => {
	const { media } = await simulateMedia(sandbox, { kind: 'voice', transcript: 'Bitte rufen Sie mich an.', size: 4000 });
	const bytes = sandbox.mediaBytes(media.id);
	expect(await (await transcribe(bytes, { model: 'whisper-1', response_format: 'text' })).text()).toBe('Bitte rufen Sie mich an.\n');
	const verbose = (await (await transcribe(bytes, { model: 'gpt-4o-transcribe', response_format: 'verbose_json', language: 'de' })).json()) as Record<string, unknown>;
	expect(verbose).toMatchObject({ task: 'transcribe', language: 'de', duration: 2, text: 'Bitte rufen Sie mich an.' });
	expect(await (await transcribe(bytes, { model: 'whisper-1', response_format: 'srt' })).text()).toBe('1\n00:00:00,000 --> 00:00:02,000\nBitte rufen Sie mich an.\n\n');
	expect(await (await transcribe(bytes, { model: 'whisper-1', response_format: 'vtt' })).text()).toMatch(/^WEBVTT\n\n00:00:00\.000 --> 00:00:02\.000\n/);
	expect(sandbox.transcriptionRequests[1]).toMatchObject({ model: 'gpt-4o-transcribe', fields: { response_format: 'verbose_json', language: 'de' } });
});

test('unknown audio, a missing file or model, a bad format or content type: 400 as OpenAI answers; no key: 401', async () => {
	const unknown = await transcribe(mediaBytes('voice', 2048, 999));
	expect(unknown.status).toBe(400);
	expect(await unknown.json()).toEqual({ error: { message: 'Audio file might be corrupted or unsupported', type: 'invalid_request_error', param: 'file', code: 'invalid_value' } });
	const image = await simulateMedia(sandbox, { kind: 'image' });
	expect((await transcribe(sandbox.mediaBytes(image.media.id))).status).toBe(400);
	expect(await (await transcribe(null)).json()).toMatchObject({ error: { param: 'file' } });
	expect(await (await transcribe(Buffer.from('x'), {})).json()).toMatchObject({ error: { message: 'you must provide a model parameter', param: 'model' } });
	expect(await (await transcribe(Buffer.from('x'), { model: 'whisper-1', response_format: 'mp3' })).json()).toMatchObject({ error: { param: 'response_format' } });
	const json = await fetch(`${sandbox.url}${LLM_PATH}/audio/transcriptions`, { method: 'POST', headers: { Authorization: 'Bearer x', 'Content-Type': 'application/json' }, body: '{}' });
	expect(json.status).toBe(400);
	expect((await transcribe(Buffer.from('x'), undefined, null)).status).toBe(401);
	expect((await fetch(`${sandbox.url}${LLM_PATH}/audio/transcriptions`, { headers: { Authorization: 'Bearer x' } })).status).toBe(405);
	expect(sandbox.transcriptionRequests.map((call) => [call.status, call.known])).toEqual([
		[400, false],
		[400, false],
		[400, false],
		[400, false],
		[400, false],
		[400, false],
	]);
	const listed = await readJson(await control(sandbox, '/transcriptions'));
	expect(listed.count).toBe(6);
	sandbox.resetRequests();
	expect(sandbox.transcriptionRequests).toEqual([]);
});

test('the chat model answers a transcribed voice note as it answers a text message', () => {
	const tools = [
		{ type: 'function', function: { name: 'send_text', parameters: { type: 'object', properties: { chatId: { type: 'string' }, text: { type: 'string' } } } } },
	];
	const voice = decide([{ role: 'user', content: `Customer 4915123456789@c.us wrote: ${DEFAULT_TRANSCRIPT}` }], tools);
	const text = decide([{ role: 'user', content: 'Customer 4915123456789@c.us wrote: Hello, I would like to know when my order arrives.' }], tools);
	expect(voice).toEqual(text);
	expect(voice.decision).toEqual({
		type: 'tool_call',
		tool: 'send_text',
		arguments: { text: `Hi there! Thanks for your message: "${DEFAULT_TRANSCRIPT}". We will get back to you shortly.`, chatId: '4915123456789@c.us' },
	});
});
