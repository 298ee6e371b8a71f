/** The OTP API: request-code (the code sent as a WhatsApp text), validate-code (single use, expiry), generate-link, and their controls. */
import type { Answer, Sandbox } from './helpers';
import { apiRequest, control, DEFAULT_INSTANCE, readJson, sleep, useSandbox } from './helpers';
import { startReceiver } from './webhook-helpers';

const current = useSandbox();
let sandbox: Sandbox;
beforeAll(() => {
	sandbox = current();
});
beforeEach(() => {
	sandbox.clearOtpCodes(DEFAULT_INSTANCE);
});

interface OtpAnswer {
	success: boolean;
	message: string;
	data?: Record<string, string>;
	errors?: Record<string, string[]>;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/;
const CHAT = '4915123456789@c.us';

function otp(route: string, json: unknown, instance = DEFAULT_INSTANCE): Promise<Answer<OtpAnswer>> {
	return apiRequest<OtpAnswer>(sandbox, 'otp', 'POST', `${instance}/${route}`, { json });
}

describe('request-code', () => {
	test('answers the code record: six digits by default, pending, expiring in 30 minutes', async () => {
		const answer = await otp('request-code', { chatId: CHAT });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({
			success: true,
			message: 'OTP code generated and message queued successfully',
			data: {
				uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
				chat_id: CHAT,
				code: expect.stringMatching(/^[0-9]{6}$/),
				status: 'pending',
				otp_type: 'code',
				expires_at: expect.stringMatching(ISO),
				created_at: expect.stringMatching(ISO),
			},
		});
		const data = answer.body.data as Record<string, string>;
		expect(Date.parse(data.expires_at) - Date.parse(data.created_at)).toBe(1800 * 1000);
	});

	test('the code goes out as a WhatsApp text: among the sent messages, with message.any and message.ack', async () => {
		const receiver = await startReceiver();
		try {
			sandbox.configure({ processingDelayMs: 0, webhookUrl: receiver.url });
			const answer = await otp('request-code', { chatId: '+49 151 23456789', name: 'Acme Shop', expires: 600 });
			const code = (answer.body.data as Record<string, string>).code;
			expect((answer.body.data as Record<string, string>).chat_id).toBe(CHAT);
			const [record] = sandbox.messages(DEFAULT_INSTANCE);
			expect(record).toMatchObject({ endpoint: 'otp/request-code', chatId: CHAT, body: { chatId: CHAT, text: `Acme Shop: Your verification code is ${code}. It expires in 10 minutes.` } });
			const received = await receiver.waitFor(2);
			expect(received.map((entry) => entry.body.event)).toEqual(['message.any', 'message.ack']);
			expect(received[0].body.data.payload).toMatchObject({ fromMe: true, to: CHAT, body: `Acme Shop: Your verification code is ${code}. It expires in 10 minutes.` });
			const queued = await apiRequest<{ response_status: number; response_body: { message: { extendedTextMessage: { text: string } } } }>(
				sandbox,
				'whatsapp',
				'GET',
				`${DEFAULT_INSTANCE}/queued-requests/${record.uuid}`,
			);
			expect(queued.body.response_status).toBe(201);
			expect(queued.body.response_body.message.extendedTextMessage.text).toContain(code);
		} finally {
			await receiver.close();
		}
	});

	test.each([
		[{ length: 4 }, /^[0-9]{4}$/],
		[{ length: 10, useLetter: true }, /^[0-9A-Za-z]{10}$/],
		[{ length: 8, useLetter: true, useNumber: false, allCapital: true }, /^[A-Z]{8}$/],
		[{ useLetter: 'true', useNumber: 'false' }, /^[A-Za-z]{6}$/],
	])('%j makes codes like %s', async (options, pattern) => {
		for (let i = 0; i < 5; i++) {
			const answer = await otp('request-code', { chatId: CHAT, ...options });
			expect(answer.status).toBe(200);
			expect((answer.body.data as Record<string, string>).code).toMatch(pattern);
		}
	});

	test('validates like Laravel: 422 with errors, nothing recorded or sent', async () => {
		const answer = await otp('request-code', { length: 3, useLetter: 'maybe', expires: 30 });
		expect(answer.status).toBe(422);
		expect(answer.body).toEqual({
			message: 'The chat id field is required. (and 3 more errors)',
			errors: {
				chatId: ['The chat id field is required.'],
				length: ['The length field must be between 4 and 10.'],
				useLetter: ['The use letter field must be true or false.'],
				expires: ['The expires field must be between 60 and 1800.'],
			},
		});
		expect((await otp('request-code', { chatId: CHAT, useNumber: false })).body.errors).toEqual({ useNumber: ['The use number field must be accepted when use letter is false.'] });
		expect((await otp('request-code', { chatId: '123@g.us' })).body.errors).toEqual({ chatId: ['The chat id field format is invalid.'] });
		expect((await otp('request-code', { chatId: CHAT, expires: 1801 })).status).toBe(422);
		expect(sandbox.otpCodes(DEFAULT_INSTANCE)).toEqual([]);
		expect(sandbox.messages(DEFAULT_INSTANCE)).toEqual([]);
	});

	test('401, 404 for an unknown instance, the request log', async () => {
		expect((await apiRequest(sandbox, 'otp', 'POST', `${DEFAULT_INSTANCE}/request-code`, { json: { chatId: CHAT }, authorization: null })).status).toBe(401);
		expect(await otp('request-code', { chatId: CHAT }, 'nope')).toMatchObject({ status: 404, body: { message: 'Instance not found.' } });
		expect(sandbox.requests.map((entry) => [entry.path, entry.instance, entry.chat_id, entry.status])).toEqual([
			[`/api/otp/v2/${DEFAULT_INSTANCE}/request-code`, DEFAULT_INSTANCE, CHAT, 401],
			['/api/otp/v2/nope/request-code', 'nope', CHAT, 404],
		]);
	});
});

describe('validate-code', () => {
	async function requestCode(extra: Record<string, unknown> = {}) {
		return (await otp('request-code', { chatId: CHAT, ...extra })).body.data as Record<string, string>;
	}

	test('a right code validates once; the second time it is used', async () => {
		const { uuid, code } = await requestCode();
		const answer = await otp('validate-code', { chatId: '4915123456789', code });
		expect(answer).toMatchObject({ status: 200 });
		expect(answer.body).toEqual({ success: true, message: 'OTP code validated successfully', data: { uuid, chat_id: CHAT, status: 'validated', validated_at: expect.stringMatching(ISO) } });
		expect(await otp('validate-code', { chatId: CHAT, code })).toMatchObject({ status: 422, body: { success: false, message: 'OTP code has already been used.' } });
		expect(sandbox.lastOtpCode(DEFAULT_INSTANCE, CHAT)).toMatchObject({ uuid, status: 'validated', attempts: 2 });
	});

	test('a wrong code is 422 Invalid OTP code. and leaves the right one valid', async () => {
		const { code } = await requestCode();
		const wrong = code === '000000' ? '111111' : '000000';
		expect(await otp('validate-code', { chatId: CHAT, code: wrong })).toMatchObject({ status: 422, body: { success: false, message: 'Invalid OTP code.' } });
		expect((await otp('validate-code', { chatId: CHAT, code })).status).toBe(200);
	});

	test('an expired code is 422 OTP code has expired. (the control expires it, or the time runs out)', async () => {
		const { code } = await requestCode();
		expect(sandbox.expireOtpCode(DEFAULT_INSTANCE, { chatId: CHAT })).toMatchObject({ code, status: 'expired' });
		expect(await otp('validate-code', { chatId: CHAT, code })).toMatchObject({ status: 422, body: { success: false, message: 'OTP code has expired.' } });
	});

	test('no code for the chat is 404; only the newest code counts', async () => {
		expect(await otp('validate-code', { chatId: '4915100000001', code: '123456' })).toMatchObject({ status: 404, body: { success: false, message: 'No active OTP code found for this chat.' } });
		const first = await requestCode();
		const second = await requestCode();
		if (first.code !== second.code) expect((await otp('validate-code', { chatId: CHAT, code: first.code })).body.message).toBe('Invalid OTP code.');
		expect((await otp('validate-code', { chatId: CHAT, code: second.code })).status).toBe(200);
	});

	test('missing fields are Laravel 422s', async () => {
		expect(await otp('validate-code', {})).toMatchObject({
			status: 422,
			body: { message: 'The chat id field is required. (and 1 more error)', errors: { chatId: ['The chat id field is required.'], code: ['The code field is required.'] } },
		});
	});

	test('the controls over HTTP: list, newest code, expire, clear', async () => {
		const { uuid, code } = await requestCode();
		const list = await readJson(await control(sandbox, `/otp/${DEFAULT_INSTANCE}?chat_id=%2B4915123456789`));
		expect(list.data).toEqual([expect.objectContaining({ uuid, code, otp_type: 'code', status: 'pending', chat_id: CHAT })]);
		expect((await readJson(await control(sandbox, `/otp/${DEFAULT_INSTANCE}/last?chat_id=${CHAT}`))).data).toMatchObject({ uuid, code });
		const expired = await control(sandbox, `/otp/${DEFAULT_INSTANCE}/expire`, { method: 'POST', body: JSON.stringify({ uuid }) });
		expect((await readJson(expired)).data).toMatchObject({ uuid, status: 'expired' });
		expect((await control(sandbox, `/otp/${DEFAULT_INSTANCE}/expire`, { method: 'POST', body: '{"uuid":"nope"}' })).status).toBe(404);
		expect((await control(sandbox, `/otp/${DEFAULT_INSTANCE}/expire`, { method: 'POST', body: '{}' })).status).toBe(400);
		expect((await control(sandbox, `/otp/nope`)).status).toBe(404);
		expect((await control(sandbox, `/otp/${DEFAULT_INSTANCE}`, { method: 'DELETE' })).status).toBe(200);
		expect(sandbox.otpCodes(DEFAULT_INSTANCE)).toEqual([]);
	});

	test('a code shows pending until its expiry, then expired', async () => {
		const { code, uuid } = await requestCode({ expires: 60 });
		const record = sandbox.otpCodes(DEFAULT_INSTANCE).find((entry) => entry.uuid === uuid);
		expect(record?.status).toBe('pending');
		// 60 s is the shortest the API takes; the control moves it to now instead of waiting.
		sandbox.expireOtpCode(DEFAULT_INSTANCE, { uuid });
		await sleep(5);
		expect((await otp('validate-code', { chatId: CHAT, code })).body.message).toBe('OTP code has expired.');
	});
});

describe('generate-link', () => {
	test('answers the link record: an 8-letter code in a wa.me link to the instance phone', async () => {
		const answer = await otp('generate-link', { chatId: CHAT, name: '7enkesh', expires: 900 });
		expect(answer.status).toBe(200);
		const data = answer.body.data as Record<string, string>;
		expect(answer.body).toEqual({
			success: true,
			message: 'OTP link request created successfully',
			data: {
				uuid: expect.stringMatching(/^[0-9a-f-]{36}$/),
				code: expect.stringMatching(/^[A-Z]{8}$/),
				chat_id: CHAT,
				status: 'pending',
				otp_type: 'link',
				expires_at: expect.stringMatching(ISO),
				created_at: expect.stringMatching(ISO),
				whatsapp_link: expect.any(String),
			},
		});
		const phone = sandbox.me(DEFAULT_INSTANCE).id.replace('@c.us', '');
		expect(data.whatsapp_link).toBe(`https://wa.me/${phone}?text=Give+me+link+to+login+at+7enkesh+%5B${data.code}%5D+-+DO+NOT+CHANGE+THIS+MESSAGE`);
		expect(Date.parse(data.expires_at) - Date.parse(data.created_at)).toBe(900 * 1000);
	});

	test('takes the message texts and callbacks; its prompt starts the prefilled text', async () => {
		const answer = await otp('generate-link', {
			chatId: CHAT,
			message: { prompt: 'Log me in to Acme', success: 'Here is your link: {link}', failed: 'Sorry', expired: 'Too late' },
			callback: { success: 'https://example.com/ok', failed: 'https://example.com/failed' },
		});
		const data = answer.body.data as Record<string, string>;
		expect(new URL(data.whatsapp_link).searchParams.get('text')).toBe(`Log me in to Acme [${data.code}] - DO NOT CHANGE THIS MESSAGE`);
		expect(sandbox.lastOtpCode(DEFAULT_INSTANCE, CHAT)).toMatchObject({
			otp_type: 'link',
			message: { prompt: 'Log me in to Acme' },
			callback: { success: 'https://example.com/ok' },
		});
		expect(Date.parse(data.expires_at) - Date.parse(data.created_at)).toBe(1800 * 1000);
	});

	test('validates: expires 60-3600, callbacks are URLs, message an object', async () => {
		const answer = await otp('generate-link', { chatId: CHAT, expires: 3601, message: 'hi', callback: { success: 'not a url' } });
		expect(answer.status).toBe(422);
		expect(answer.body.errors).toEqual({
			expires: ['The expires field must be between 60 and 3600.'],
			message: ['The message field must be an array.'],
			'callback.success': ['The callback.success field must be a valid URL.'],
		});
	});
});
