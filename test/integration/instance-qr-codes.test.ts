/**
 * Instance › Create and Request New QR Code through n8n-core, against a real HTTP server on
 * 127.0.0.1: the request, the parameters refused before any request, the instance's fields, and
 * the QR code as a real PNG file in the item's binary data.
 */
import type { IDataObject } from 'n8n-workflow';

import { encodePng } from '../../sandbox/images';
import { sendJson } from '../harness/http-server';
import type { JsonSchema } from '../harness/json-schema';
import { validate } from '../harness/json-schema';
import { runHypersenderNode } from '../harness/n8n-core';
import type { Handler } from '../harness/scripted-api';
import { INSTANCE, serve, TOKEN } from '../harness/scripted-api';
import { operations } from '../../nodes/Hypersender/v1/actions/operations';

async function run(handler: Handler, parameters: IDataObject, extra: { inputItems?: IDataObject[]; continueOnFail?: boolean } = {}) {
	const server = await serve(handler);
	const result = await runHypersenderNode({
		parameters: { resource: 'instance', ...parameters } as never,
		credentials: { apiToken: TOKEN, instanceId: INSTANCE, baseUrl: server.baseUrl },
		...extra,
	});
	return { server, result };
}

/** A 3×3 black and white PNG, built here so the test does not trust the node's own decoding. */
const QR = encodePng(3, 3, (x, y) => ((x + y) % 2 === 0 ? [0, 0, 0] : [255, 255, 255]));

const CREATED = {
	id: '9d6a2c1e-5b7f-4e3a-8c2d-1f0e9b8a7c65',
	name: 'Sales Team (EU)',
	phone: '+4915123456789',
	service_type: 'whatsapp',
	status: 'SCAN_QR_CODE',
	webhook_url: 'https://example.com/hook',
	qr_code: QR.toString('base64'),
	access_token: '812|new-instance-secret',
	created_at: '2026-12-07T10:00:00.000000Z',
};

const CREATE = { operation: 'create', phone: '+49 (151) 234-567.89', name: 'Sales Team (EU)' };

function schemaErrors(operation: string, items: Array<{ json: IDataObject }>): string[] {
	const schema = operations.resources.instance.operations[operation].outputSchema as JsonSchema;
	return items.flatMap((item, index) => validate(schema, item.json, `item ${index}`));
}

describe('Instance › Create', () => {
	test('POSTs {base}/create-instance (the account) as JSON and outputs the instance, its token and the QR code as a PNG file', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 201, CREATED), {
			...CREATE,
			options: { webhookUrl: 'https://example.com/hook' },
		});
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /api/whatsapp/v2/create-instance']);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(server.requests[0].headers['content-type']).toBe('application/json');
		expect(JSON.parse(server.bodies[0])).toEqual({ phone: '+4915123456789', name: 'Sales Team (EU)', webhook_url: 'https://example.com/hook' });
		expect(result.items.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{
					instanceId: CREATED.id,
					name: 'Sales Team (EU)',
					phone: '+4915123456789',
					serviceType: 'whatsapp',
					status: 'SCAN_QR_CODE',
					webhookUrl: 'https://example.com/hook',
					createdAt: '2026-12-07T10:00:00.000000Z',
					accessToken: '812|new-instance-secret',
				},
				{ item: 0 },
			],
		]);
		const file = result.items[0].binary?.qrCode;
		expect(file).toMatchObject({ mimeType: 'image/png', fileName: 'Sales_Team_EU.png', fileExtension: 'png' });
		expect(Buffer.from(file!.data, 'base64').equals(QR)).toBe(true);
		expect(schemaErrors('create', result.items)).toEqual([]);
	});

	test('without a Webhook URL the body is only phone and name; a data: prefix and another binary field are fine', async () => {
		const { server, result } = await run(
			(_request, response) => sendJson(response, 200, { ...CREATED, qr_code: `data:image/png;base64,${QR.toString('base64')}` }),
			{ ...CREATE, phone: '4915123456789@c.us', options: { binaryPropertyName: 'qr' } },
		);
		expect(JSON.parse(server.bodies[0])).toEqual({ phone: '+4915123456789', name: 'Sales Team (EU)' });
		expect(Buffer.from(result.items[0].binary!.qr.data, 'base64').equals(QR)).toBe(true);
		expect(result.items[0].binary?.qrCode).toBeUndefined();
	});

	test.each([
		['phone', '={{ "" }}', 'Invalid Phone Number (phone): "" is empty'],
		['phone', '1234', 'Invalid Phone Number (phone): "1234" is not a phone number in international format'],
		['phone', '0049 151 23456789', 'Invalid Phone Number (phone): "0049 151 23456789" is not a phone number in international format'],
		['phone', '1234567890123456', 'Invalid Phone Number (phone): "1234567890123456" is not a phone number in international format'],
		['phone', '120363041234567890@g.us', 'Invalid Phone Number (phone): "120363041234567890@g.us" is not a phone number'],
		['name', '={{ "  " }}', 'Invalid Name (name): "  " is empty'],
		['name', 'x'.repeat(51), `Invalid Name (name): "${'x'.repeat(51)}" has 51 characters; allowed: a name of 1 to 50 characters`],
	])('refuses %s %p before any request, naming the parameter', async (parameter, value, message) => {
		const { server, result } = await run((_request, response) => sendJson(response, 201, CREATED), { ...CREATE, [parameter]: value });
		expect(result.error?.message).toContain(message);
		expect(server.requests).toHaveLength(0);
	});

	test.each([
		['http://example.com/hook', 'is not an https URL'],
		['example.com/hook', 'is not a URL'],
		['={{ "" }}', 'is empty'],
	])('refuses the Webhook URL %p before any request', async (webhookUrl, problem) => {
		const { server, result } = await run((_request, response) => sendJson(response, 201, CREATED), { ...CREATE, options: { webhookUrl } });
		expect(result.error?.message).toContain(`Invalid Webhook URL (webhookUrl): `);
		expect(result.error?.message).toContain(`${problem}; allowed: an https:// URL`);
		expect(server.requests).toHaveLength(0);
	});

	test('a 500 is not repeated: the instance may have been created, and the error says how to check', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 500, { message: 'Server Error' }), CREATE);
		expect(server.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Hypersender API error 500: Server Error (it may have been created, so it was not created again)');
		expect(result.error?.description).toContain('The instance may have been created anyway: look for "Sales Team (EU)" with Instance › Get Many');
	});

	test('a 422 (name taken) is the API\'s field error, sent once', async () => {
		const { server, result } = await run(
			(_request, response) => sendJson(response, 422, { message: 'The name has already been taken.', errors: { name: ['The name has already been taken.'] } }),
			CREATE,
		);
		expect(server.requests).toHaveLength(1);
		expect(result.error?.message).toBe('Hypersender API error 422: The name has already been taken.');
		expect(result.error?.description).toContain('Field errors: name: The name has already been taken.');
	});

	test.each([
		['not base64', { ...CREATED, qr_code: '<html>' }, 'its "qr_code" is not base64'],
		['a JPEG', { ...CREATED, qr_code: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]).toString('base64') }, 'its "qr_code" decodes to 8 bytes beginning ff d8 ff e0 01 02 03 04, not a PNG image'],
		['missing', { ...CREATED, qr_code: null }, 'the answer has no "qr_code"'],
	])('a QR code that is %s is an error that says the instance was created', async (_label, body, problem) => {
		const { result } = await run((_request, response) => sendJson(response, 201, body), CREATE);
		expect(result.error?.message).toBe(`The API's QR code could not be stored: ${problem}`);
		expect(result.error?.description).toContain(`The instance "Sales Team (EU)" (${CREATED.id}) was created`);
		expect(result.error?.description).toContain('Instance › Request New QR Code');
		expect(result.serialized).not.toContain('new-instance-secret');
	});

	test('an answer without an instance id is an error that says it may have been created', async () => {
		const { result } = await run((_request, response) => sendJson(response, 201, { message: 'Created' }), CREATE);
		expect(result.error?.message).toBe(
			'Hypersender API returned an unexpected response: the JSON has no instance "id" (it may have been created, so it was not created again)',
		);
	});
});

describe('Instance › Request New QR Code', () => {
	test('POSTs {base}/{instance}/request-new-qr-code and outputs the instance and the new QR code, never its access token', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 200, CREATED), { operation: 'requestNewQr' });
		expect(result.error).toBeUndefined();
		expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([`POST /api/whatsapp/v2/${INSTANCE}/request-new-qr-code`]);
		expect(server.requests[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
		expect(result.items[0].json).toEqual({
			instanceId: CREATED.id,
			name: 'Sales Team (EU)',
			phone: '+4915123456789',
			serviceType: 'whatsapp',
			status: 'SCAN_QR_CODE',
			webhookUrl: 'https://example.com/hook',
			createdAt: '2026-12-07T10:00:00.000000Z',
		});
		const file = result.items[0].binary?.qrCode;
		expect(file).toMatchObject({ mimeType: 'image/png', fileName: 'Sales_Team_EU.png' });
		expect(Buffer.from(file!.data, 'base64').equals(QR)).toBe(true);
		expect(result.serialized).not.toContain('new-instance-secret');
		expect(schemaErrors('requestNewQr', result.items)).toEqual([]);
	});

	test('an answer with only the QR code is named after the instance ID the option gives', async () => {
		const { server, result } = await run((_request, response) => sendJson(response, 200, { qr_code: QR.toString('base64') }), {
			operation: 'requestNewQr',
			options: { instanceId: 'b7c8d9e0' },
		});
		expect(server.requests[0].url).toBe('/api/whatsapp/v2/b7c8d9e0/request-new-qr-code');
		expect(result.items[0].json).toEqual({ instanceId: 'b7c8d9e0' });
		expect(result.items[0].binary?.qrCode).toMatchObject({ mimeType: 'image/png', fileName: 'b7c8d9e0.png' });
	});

	test('a QR code that is not a PNG is an error, and nothing is stored', async () => {
		const { result } = await run((_request, response) => sendJson(response, 200, { ...CREATED, qr_code: Buffer.from('GIF89a..').toString('base64') }), {
			operation: 'requestNewQr',
		});
		expect(result.error?.message).toBe('The API\'s QR code could not be stored: its "qr_code" decodes to 8 bytes beginning 47 49 46 38 39 61 2e 2e, not a PNG image');
		expect(result.error?.description).toContain('Nothing was stored');
		expect(result.items).toEqual([]);
	});

	test('an unknown instance (404) says to check the Instance ID', async () => {
		const { result } = await run((_request, response) => sendJson(response, 404, { message: 'Instance not found.' }), { operation: 'requestNewQr' });
		expect(result.error?.message).toBe(`Hypersender API error 404: instance not found — check the Instance ID ("${INSTANCE}")`);
	});
});
