/** The sandbox's scripted OpenAI-compatible chat model (/openai/v1), over real HTTP: models, auth, errors, the script, streaming and the record. */
import { DEFAULT_INSTANCE, LLM_PATH, startSandbox } from '../harness/sandbox';
import type { Sandbox } from '../harness/sandbox';

// eslint-disable-next-line @n8n/community-nodes/no-hardcoded-secrets -- a made-up key for the sandbox's chat model; the test checks it is never kept
const API_KEY = 'sk-test-4c1d9e7f-never-logged';
const CHAT_ID = '4915123456789@c.us';
const CUSTOMER = `Customer ${CHAT_ID} wrote: Hello`;

type Message = Record<string, unknown>;
interface ToolCall {
	id: string;
	type: string;
	function: { name: string; arguments: string };
}
interface Completion {
	id: string;
	object: string;
	created: number;
	model: string;
	choices: Array<{
		index: number;
		message: { role: string; content: string | null; tool_calls?: ToolCall[]; refusal: null };
		logprobs: null;
		finish_reason: string;
	}>;
	usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
	system_fingerprint: string;
}
interface Chunk {
	id: string;
	object: string;
	model: string;
	choices: Array<{
		index: number;
		delta: { role?: string; content?: string | null; tool_calls?: Array<{ index: number; id?: string; type?: string; function?: { name?: string; arguments?: string } }> };
		finish_reason: string | null;
	}>;
	usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

const TOOLS = [
	{
		type: 'function',
		function: {
			name: 'look_up_contact',
			description: 'Looks up a WhatsApp contact by chat ID',
			parameters: { type: 'object', properties: { chatId: { type: 'string', description: 'The chat ID' } }, required: ['chatId'] },
		},
	},
	{
		type: 'function',
		function: {
			name: 'send_reply',
			description: 'Sends a WhatsApp text message',
			parameters: {
				type: 'object',
				properties: { chatId: { type: 'string' }, text: { type: 'string', description: 'The message' } },
				required: ['chatId', 'text'],
			},
		},
	},
];
const SYSTEM: Message = { role: 'system', content: 'You are a WhatsApp assistant. Look the customer up, then reply once.' };

let sandbox: Sandbox;
beforeAll(async () => {
	sandbox = await startSandbox({ instances: { [DEFAULT_INSTANCE]: { size: 5 } } });
});
afterAll(async () => {
	await sandbox?.close();
});
beforeEach(() => {
	sandbox.resetRequests();
});

function llmUrl(path: string): string {
	return `${sandbox.url}${LLM_PATH}${path}`;
}

function headers(key: string | null = `Bearer ${API_KEY}`): Record<string, string> {
	const out: Record<string, string> = { 'Content-Type': 'application/json' };
	if (key !== null) out.Authorization = key;
	return out;
}

function postChat(body: unknown, key: string | null = `Bearer ${API_KEY}`): Promise<Response> {
	return fetch(llmUrl('/chat/completions'), {
		method: 'POST',
		headers: headers(key),
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
}

/** A non-streamed completion; `tools` null sends none. */
async function complete(messages: Message[], tools: unknown[] | null = TOOLS): Promise<Completion> {
	const response = await postChat({ model: 'gpt-4o-mini', messages, ...(tools === null ? {} : { tools }), temperature: 0.7, tool_choice: 'auto', n: 1 });
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^application\/json/);
	return (await response.json()) as Completion;
}

/** The conversation after the agent ran `call` and got `result` back, as an agent sends it. */
function withToolResult(messages: Message[], call: ToolCall, result: string): Message[] {
	return [...messages, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: result }];
}

function onlyCall(completion: Completion): ToolCall {
	const [choice] = completion.choices;
	expect(choice.finish_reason).toBe('tool_calls');
	expect(choice.message.content).toBeNull();
	expect(choice.message.tool_calls).toHaveLength(1);
	return (choice.message.tool_calls as ToolCall[])[0];
}

function answerOf(completion: Completion): string {
	const [choice] = completion.choices;
	expect(choice.finish_reason).toBe('stop');
	expect(choice.message.tool_calls).toBeUndefined();
	expect(typeof choice.message.content).toBe('string');
	return choice.message.content as string;
}

async function errorBody(response: Response): Promise<{ message: string; type: string; param: string | null; code: string | null }> {
	const body = (await response.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
	return body.error;
}

/** The `data:` payloads of a server-sent event stream, in order. */
function sseData(text: string): string[] {
	expect(text.endsWith('\n\n')).toBe(true);
	return text
		.split('\n\n')
		.filter((event) => event !== '')
		.map((event) => {
			expect(event.startsWith('data: ')).toBe(true);
			return event.slice('data: '.length);
		});
}

async function stream(messages: Message[], tools: unknown, includeUsage: boolean): Promise<{ chunks: Chunk[]; contentType: string | null }> {
	const response = await postChat({ model: 'gpt-4o-mini', messages, tools, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) });
	expect(response.status).toBe(200);
	const data = sseData(await response.text());
	expect(data[data.length - 1]).toBe('[DONE]');
	expect(data.slice(0, -1)).not.toContain('[DONE]');
	return { chunks: data.slice(0, -1).map((line) => JSON.parse(line) as Chunk), contentType: response.headers.get('content-type') };
}

/** Step 1 and 2 of the script: the conversation up to the send_reply call, with the lookup result given. */
async function upToReply(lookupResult: string): Promise<{ messages: Message[]; reply: ToolCall }> {
	const start = [SYSTEM, { role: 'user', content: CUSTOMER }];
	const lookup = onlyCall(await complete(start));
	const messages = withToolResult(start, lookup, lookupResult);
	const reply = onlyCall(await complete(messages));
	expect(reply.function.name).toBe('send_reply');
	return { messages, reply };
}

describe('models and errors', () => {
	test('GET /models lists the one sandbox model', async () => {
		const response = await fetch(llmUrl('/models'), { headers: headers(`Bearer ${API_KEY}`) });
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({
			object: 'list',
			data: [{ id: 'sandbox-assistant', object: 'model', created: expect.any(Number), owned_by: 'hypersender-sandbox' }],
		});
	});

	test.each([
		['no Authorization header', null],
		['an empty Bearer key', 'Bearer '],
		['a key without Bearer', API_KEY],
	])('401 with %s, on both endpoints', async (_label, key) => {
		const expected = {
			message: 'Missing or empty API key: send Authorization: Bearer <any key>.',
			type: 'invalid_request_error',
			param: null,
			code: 'invalid_api_key',
		};
		const models = await fetch(llmUrl('/models'), { headers: headers(key) });
		expect(models.status).toBe(401);
		expect(await errorBody(models)).toEqual(expected);
		const chat = await postChat({ messages: [{ role: 'user', content: 'Hi' }] }, key);
		expect(chat.status).toBe(401);
		expect(await errorBody(chat)).toEqual(expected);
		expect(sandbox.llmRequests).toHaveLength(0);
	});

	test('any non-empty key is accepted', async () => {
		const response = await postChat({ messages: [{ role: 'user', content: 'Hi' }] }, 'Bearer x');
		expect(response.status).toBe(200);
	});

	test.each([
		['malformed JSON', '{"messages": ['],
		['no messages', { model: 'gpt-4o-mini' }],
		['messages not an array', { messages: 'Hello' }],
		['an empty messages array', { messages: [] }],
		['a message without a role', { messages: [{ content: 'Hello' }] }],
	])('400 for %s', async (_label, body) => {
		const response = await postChat(body);
		expect(response.status).toBe(400);
		const error = await errorBody(response);
		expect(error).toMatchObject({ type: 'invalid_request_error', param: 'messages', code: null });
		expect(error.message).not.toBe('');
		expect(sandbox.llmRequests).toHaveLength(0);
	});

	test('404 for an unknown path, 405 for the wrong method, both OpenAI-style', async () => {
		const unknown = await fetch(llmUrl('/embeddings'), { method: 'POST', headers: headers(`Bearer ${API_KEY}`), body: '{}' });
		expect(unknown.status).toBe(404);
		expect(await errorBody(unknown)).toMatchObject({ type: 'invalid_request_error', message: `Invalid URL (POST ${LLM_PATH}/embeddings)` });
		const wrong = await fetch(llmUrl('/chat/completions'), { headers: headers(`Bearer ${API_KEY}`) });
		expect(wrong.status).toBe(405);
		expect(wrong.headers.get('allow')).toBe('POST');
		expect((await errorBody(wrong)).type).toBe('invalid_request_error');
	});

	test('does not touch the Hypersender request log', async () => {
		await complete([{ role: 'user', content: 'Hi' }]);
		expect(sandbox.requests).toHaveLength(0);
	});
});

describe('the script', () => {
	test('looks the customer up, replies with their name, then reports what it sent', async () => {
		const start = [SYSTEM, { role: 'user', content: CUSTOMER }];
		const first = await complete(start);
		expect(first).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini', system_fingerprint: 'sandbox' });
		expect(first.id).toMatch(/^chatcmpl-sandbox-\d+$/);
		expect(Math.abs(first.created - Date.now() / 1000)).toBeLessThan(60);
		expect(first.choices[0].message.role).toBe('assistant');
		const lookup = onlyCall(first);
		expect(lookup).toEqual({ id: 'call_1', type: 'function', function: { name: 'look_up_contact', arguments: expect.any(String) } });
		expect(JSON.parse(lookup.function.arguments)).toEqual({ chatId: CHAT_ID });

		const afterLookup = withToolResult(start, lookup, JSON.stringify([{ id: CHAT_ID, name: 'Maria Lopez', pushname: 'Maria' }]));
		const second = await complete(afterLookup);
		expect(second.id).not.toBe(first.id);
		const reply = onlyCall(second);
		expect(reply.id).toBe('call_2');
		expect(reply.function.name).toBe('send_reply');
		const args = JSON.parse(reply.function.arguments) as { text: string; chatId: string };
		expect(args.chatId).toBe(CHAT_ID);
		expect(args.text.startsWith('Hi Maria Lopez! Thanks for your message: "Hello"')).toBe(true);
		expect(args.text).toBe('Hi Maria Lopez! Thanks for your message: "Hello". We will get back to you shortly.');

		const third = await complete(withToolResult(afterLookup, reply, JSON.stringify([{ uuid: '0f9c', status: 'queued' }])));
		expect(answerOf(third)).toBe(`Replied to ${CHAT_ID}: ${args.text}`);
		expect(third.usage.total_tokens).toBe(third.usage.prompt_tokens + third.usage.completion_tokens);
		expect(third.usage.prompt_tokens).toBeGreaterThan(first.usage.prompt_tokens);
		expect(third.usage.completion_tokens).toBeGreaterThan(0);
	});

	test('is deterministic: the same request gets the same decision', async () => {
		const messages = [SYSTEM, { role: 'user', content: CUSTOMER }];
		const [a, b] = [await complete(messages), await complete(messages)];
		expect(a.choices[0].message).toEqual(b.choices[0].message);
	});

	test('falls back to pushname, then to "Hi there!" when the contact has no name', async () => {
		const { reply } = await upToReply(JSON.stringify({ id: CHAT_ID, pushname: 'Mia' }));
		expect(JSON.parse(reply.function.arguments).text).toMatch(/^Hi Mia! /);
		const { reply: unnamed } = await upToReply(JSON.stringify([{ id: CHAT_ID }]));
		expect(JSON.parse(unnamed.function.arguments).text).toMatch(/^Hi there! Thanks for your message: "Hello"/);
	});

	test.each([
		['an Error text', 'Error: Contact not found'],
		['an n8n tool error item', JSON.stringify([{ error: 'The resource you are requesting could not be found', name: 'Maria Lopez' }])],
		['a serialized error', JSON.stringify({ name: 'NodeApiError', message: 'The resource you are requesting could not be found' })],
		['text that is not JSON', 'no such contact'],
	])('a failed lookup (%s) gives "Hi there!"', async (_label, result) => {
		const { reply } = await upToReply(result);
		expect(JSON.parse(reply.function.arguments)).toEqual({
			chatId: CHAT_ID,
			text: 'Hi there! Thanks for your message: "Hello". We will get back to you shortly.',
		});
	});

	test('a failed reply is reported with the start of the error', async () => {
		const { messages, reply } = await upToReply(JSON.stringify([{ name: 'Maria Lopez' }]));
		const error = `Error: The chat ${CHAT_ID} is not on WhatsApp. ${'x'.repeat(300)}`;
		const answer = answerOf(await complete(withToolResult(messages, reply, error)));
		expect(answer).toBe(`I could not send the reply: ${error.slice(0, 200)}`);
		const item = answerOf(await complete(withToolResult(messages, reply, JSON.stringify([{ error: 'Bad request - please check your parameters' }]))));
		expect(item).toMatch(/^I could not send the reply: \[\{"error":"Bad request/);
	});

	test('a customer message that mentions an error is not a failed reply', async () => {
		const start = [SYSTEM, { role: 'user', content: `Customer ${CHAT_ID} wrote: I got an error at checkout` }];
		const lookup = onlyCall(await complete(start));
		const messages = withToolResult(start, lookup, JSON.stringify([{ name: 'Maria Lopez' }]));
		const reply = onlyCall(await complete(messages));
		const sent = JSON.parse(reply.function.arguments).text as string;
		expect(sent).toContain('"I got an error at checkout"');
		const answer = answerOf(await complete(withToolResult(messages, reply, JSON.stringify([{ chatId: CHAT_ID, text: sent, status: 'queued' }]))));
		expect(answer).toBe(`Replied to ${CHAT_ID}: ${sent}`);
	});

	test('without tools it answers with what the customer said, cut to 80 characters', async () => {
		expect(answerOf(await complete([{ role: 'user', content: CUSTOMER }], null))).toBe('Sandbox model: no tools to call. You said: "Hello"');
		const long = `${'word '.repeat(30)}end`;
		const answer = answerOf(await complete([{ role: 'user', content: long }], []));
		expect(answer).toBe(`Sandbox model: no tools to call. You said: "${long.slice(0, 80).trimEnd()}…"`);
	});

	test('reads content parts, finds the chat ID in the system message, and handles an empty message', async () => {
		const parts = [{ role: 'user', content: [{ type: 'text', text: `Customer ${CHAT_ID} wrote:` }, { type: 'text', text: 'Hello   again' }] }];
		const fromParts = onlyCall(await complete(parts));
		expect(JSON.parse(fromParts.function.arguments)).toEqual({ chatId: CHAT_ID });

		const group = '120363041234567890@g.us';
		const inSystem = [{ role: 'system', content: `Reply in chat ${group}.` }, { role: 'user', content: '' }];
		const lookup = onlyCall(await complete(inSystem));
		expect(JSON.parse(lookup.function.arguments)).toEqual({ chatId: group });
		const reply = onlyCall(await complete(withToolResult(inSystem, lookup, JSON.stringify([{ name: 'Team' }]))));
		expect(JSON.parse(reply.function.arguments)).toEqual({ chatId: group, text: 'Hi Team! Thanks for your message. We will get back to you shortly.' });
	});

	test('with no chat ID it skips the lookup and replies to whoever wrote', async () => {
		const call = onlyCall(await complete([{ role: 'user', content: 'Hello' }]));
		expect(call.function.name).toBe('send_reply');
		expect(JSON.parse(call.function.arguments)).toEqual({ text: 'Hi there! Thanks for your message: "Hello". We will get back to you shortly.' });
	});

	test('numbers tool calls after those already in the conversation, and a new turn starts the script again', async () => {
		const { messages, reply } = await upToReply(JSON.stringify([{ name: 'Maria Lopez' }]));
		const done = withToolResult(messages, reply, '[{"status":"queued"}]');
		const next = [...done, { role: 'assistant', content: 'Replied.' }, { role: 'user', content: `Customer ${CHAT_ID} wrote: Are you there?` }];
		const lookup = onlyCall(await complete(next));
		expect(lookup.id).toBe('call_3');
		expect(lookup.function.name).toBe('look_up_contact');
	});
});

describe('streaming', () => {
	test('a tool call arrives in chunks the way OpenAI streams it, with usage when asked', async () => {
		const { chunks, contentType } = await stream([SYSTEM, { role: 'user', content: CUSTOMER }], TOOLS, true);
		expect(contentType).toMatch(/^text\/event-stream/);
		expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
		for (const chunk of chunks) expect(chunk.object).toBe('chat.completion.chunk');

		const usageChunk = chunks[chunks.length - 1];
		expect(usageChunk.choices).toEqual([]);
		expect(usageChunk.usage).toEqual({ prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number), total_tokens: expect.any(Number) });
		const choiceChunks = chunks.slice(0, -1);
		for (const chunk of choiceChunks) expect(chunk.usage).toBeNull();

		expect(choiceChunks[0].choices[0].delta.role).toBe('assistant');
		const finals = choiceChunks.filter((chunk) => chunk.choices[0].finish_reason !== null);
		expect(finals).toHaveLength(1);
		expect(finals[0]).toBe(choiceChunks[choiceChunks.length - 1]);
		expect(finals[0].choices[0]).toMatchObject({ delta: {}, finish_reason: 'tool_calls' });

		const pieces = choiceChunks.flatMap((chunk) => chunk.choices[0].delta.tool_calls ?? []);
		expect(pieces.length).toBeGreaterThanOrEqual(2);
		expect(pieces.every((piece) => piece.index === 0)).toBe(true);
		const [head] = pieces;
		expect(head).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'look_up_contact', arguments: '' } });
		const argumentsText = pieces.map((piece) => piece.function?.arguments ?? '').join('');
		expect(JSON.parse(argumentsText)).toEqual({ chatId: CHAT_ID });
	});

	test('a text answer arrives in more than one content chunk, without usage unless asked', async () => {
		const messages = [{ role: 'user', content: CUSTOMER }];
		const expected = answerOf(await complete(messages, null));
		const { chunks } = await stream(messages, undefined, false);
		for (const chunk of chunks) expect(chunk).not.toHaveProperty('usage');
		expect(chunks[0].choices[0].delta).toMatchObject({ role: 'assistant', content: '' });
		const contents = chunks.map((chunk) => chunk.choices[0].delta.content ?? '').filter((content) => content !== '');
		expect(contents.length).toBeGreaterThanOrEqual(2);
		expect(contents.join('')).toBe(expected);
		const last = chunks[chunks.length - 1];
		expect(last.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
		expect(chunks.filter((chunk) => chunk.choices[0].finish_reason !== null)).toHaveLength(1);
	});
});

describe('recorded completions', () => {
	test('each completion is recorded with its decision, never the key, and reset clears them', async () => {
		const start = [SYSTEM, { role: 'user', content: CUSTOMER }];
		const first = await complete(start);
		await stream([{ role: 'user', content: 'Hi' }], undefined, true);
		await postChat({ messages: [{ role: 'user', content: 'Hi' }] }, null);

		expect(sandbox.llmRequests).toHaveLength(2);
		const [call, answer] = sandbox.llmRequests;
		expect(call).toEqual({
			id: first.id,
			at: expect.any(Number),
			stream: false,
			messages: start,
			toolNames: ['look_up_contact', 'send_reply'],
			decision: { type: 'tool_call', tool: 'look_up_contact', arguments: { chatId: CHAT_ID } },
		});
		expect(answer).toMatchObject({ stream: true, toolNames: [], decision: { type: 'answer', content: 'Sandbox model: no tools to call. You said: "Hi"' } });

		const served = await fetch(`${sandbox.url}/__sandbox/llm`);
		expect(served.status).toBe(200);
		const servedText = await served.text();
		expect(JSON.parse(servedText)).toEqual({ count: 2, completions: JSON.parse(JSON.stringify(sandbox.llmRequests)) });
		for (const text of [JSON.stringify(sandbox.llmRequests), servedText, JSON.stringify(sandbox.requests)]) expect(text).not.toContain(API_KEY);

		expect((await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
		expect(sandbox.llmRequests).toHaveLength(0);
		expect(await (await fetch(`${sandbox.url}/__sandbox/llm`)).json()).toEqual({ count: 0, completions: [] });
	});
});
