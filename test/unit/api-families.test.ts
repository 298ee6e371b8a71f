import { apiFamilyUrl } from '../../nodes/Hypersender/helpers/baseUrl';
import { retryWhen } from '../../nodes/Hypersender/transport/errors';
import { requestUrl, type HypersenderConnection } from '../../nodes/Hypersender/transport';

const connection = (baseUrl: string, smsInstanceId = 'wa-1'): HypersenderConnection => ({
	baseUrl,
	instanceId: 'wa-1',
	smsInstanceId,
	apiToken: 'secret',
	credentials: { id: '', name: '', type: 'hypersenderApi', data: {} },
});

describe('API families on the Base URL\'s origin', () => {
	test('OTP and SMS sit beside the WhatsApp API, always at v2', () => {
		expect(apiFamilyUrl('https://app.hypersender.com/api/whatsapp/v2', 'otp')).toBe('https://app.hypersender.com/api/otp/v2');
		expect(apiFamilyUrl('https://app.hypersender.com/api/whatsapp/v1', 'sms')).toBe('https://app.hypersender.com/api/sms/v2');
		expect(apiFamilyUrl('http://127.0.0.1:8787/api/WhatsApp/v2', 'sms')).toBe('http://127.0.0.1:8787/api/sms/v2');
		expect(apiFamilyUrl('https://app.hypersender.com/api/whatsapp/v2', 'whatsapp')).toBe('https://app.hypersender.com/api/whatsapp/v2');
	});

	test('a Base URL of another shape serves every API itself', () => {
		expect(apiFamilyUrl('https://proxy.example.com/hypersender', 'otp')).toBe('https://proxy.example.com/hypersender');
	});

	test('instance, account and SMS gateway URLs', () => {
		const base = 'https://app.hypersender.com/api/whatsapp/v2';
		expect(requestUrl(connection(base), { path: 'health' })).toBe(`${base}/wa-1/health`);
		expect(requestUrl(connection(base), { path: 'instances', scope: 'account' })).toBe(`${base}/instances`);
		expect(requestUrl(connection(base), { path: 'request-code', api: 'otp' })).toBe('https://app.hypersender.com/api/otp/v2/wa-1/request-code');
		expect(requestUrl(connection(base, 'sms/1'), { path: 'messages', api: 'sms' })).toBe('https://app.hypersender.com/api/sms/v2/sms%2F1/messages');
	});
});

describe('a rate limit says when to try again', () => {
	test('seconds and the UTC time', () => {
		const now = Date.UTC(2026, 0, 1, 10, 0, 0);
		expect(retryWhen(59_500, now)).toContain('wait 60 s: try again after 10:01:00 UTC');
		expect(retryWhen(undefined, now)).toBe('');
	});
});
