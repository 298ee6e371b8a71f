import { encodePng } from '../../sandbox/images';
import {
	connectionAdvice,
	decodeQrCode,
	instanceItem,
	isConnected,
	qrCodeFileName,
} from '../../nodes/Hypersender/domain/instances';

const PNG = encodePng(1, 1, () => [0, 0, 0]);

describe('an instance as the node outputs it', () => {
	const listed = {
		id: 'a1b2',
		name: 'Sales',
		phone: '+4915111111111',
		service_type: 'whatsapp',
		status: 'WORKING',
		access_token: '5|secret',
		created_at: '2026-11-01T09:00:00Z',
	};

	test('instanceId first, the other keys in camelCase, the QR code never in JSON', () => {
		expect(Object.keys(instanceItem({ ...listed, qr_code: 'iVBOR' }, 'omit'))).toEqual(['instanceId', 'name', 'phone', 'serviceType', 'status', 'createdAt']);
	});

	test('the access token: output (Create), presence only (Get Many) or left out', () => {
		expect(instanceItem(listed, 'output').accessToken).toBe('5|secret');
		expect(instanceItem(listed, 'presence')).toMatchObject({ hasAccessToken: true });
		expect(JSON.stringify(instanceItem(listed, 'presence'))).not.toContain('secret');
		expect(instanceItem({ ...listed, access_token: null }, 'presence').hasAccessToken).toBe(false);
		expect(JSON.stringify(instanceItem(listed, 'omit'))).not.toContain('secret');
	});

	test('a "uuid" is the instance ID where "id" may be a row number, which is kept as "id"', () => {
		expect(instanceItem({ id: 42, uuid: 'u-1', name: 'x' }, 'omit')).toEqual({ instanceId: 'u-1', id: 42, name: 'x' });
		expect(instanceItem({ instance_id: 'i-1' }, 'omit')).toEqual({ instanceId: 'i-1' });
	});
});

describe('the QR code', () => {
	test('base64 with or without a data: prefix (and line breaks) decodes to the PNG', () => {
		const base64 = PNG.toString('base64');
		for (const value of [base64, `data:image/png;base64,${base64}`, `${base64.slice(0, 10)}\n${base64.slice(10)}`]) {
			const decoded = decodeQrCode(value);
			expect('png' in decoded && decoded.png.equals(PNG)).toBe(true);
		}
	});

	test('anything that is not a PNG says what it is', () => {
		expect(decodeQrCode(undefined)).toEqual({ problem: 'the answer has no "qr_code"' });
		expect(decodeQrCode('   ')).toEqual({ problem: 'the answer has no "qr_code"' });
		expect(decodeQrCode('not base64!')).toEqual({ problem: 'its "qr_code" is not base64' });
		expect(decodeQrCode(Buffer.from('%PDF-1.7').toString('base64'))).toEqual({
			problem: 'its "qr_code" decodes to 8 bytes beginning 25 50 44 46 2d 31 2e 37, not a PNG image',
		});
		expect(decodeQrCode('data:image/png;base64,')).toEqual({ problem: 'its "qr_code" is not base64' });
	});

	test.each([
		['Sales Team (EU)', 'Sales_Team_EU.png'],
		['../../etc/passwd', 'etc_passwd.png'],
		['Ventes – équipe', 'Ventes_equipe.png'],
		['东京', 'qr-code.png'],
		[`${'x'.repeat(99)} y`, `${'x'.repeat(99)}.png`],
		['???', 'qr-code.png'],
		['x'.repeat(150), `${'x'.repeat(100)}.png`],
	])('the file of %p is %p', (name, file) => {
		expect(qrCodeFileName(name)).toBe(file);
	});
});

describe('the connection state', () => {
	test('only WORKING is connected', () => {
		expect(isConnected('WORKING')).toBe(true);
		expect(isConnected(' working ')).toBe(true);
		for (const status of ['STOPPED', 'STARTING', 'SCAN_QR_CODE', 'FAILED', 'PENDING', 'WORKING_SOON', '']) expect(isConnected(status)).toBe(false);
	});

	test('each other state says what to do', () => {
		expect(connectionAdvice('SCAN_QR_CODE')).toContain('scan the QR code');
		expect(connectionAdvice('STOPPED')).toContain('Instance › Restart');
		expect(connectionAdvice('FAILED')).toContain('Instance › Restart');
		expect(connectionAdvice('STARTING')).toContain('wait a minute');
		expect(connectionAdvice('PENDING')).toContain('wait a minute');
		expect(connectionAdvice('NEW_STATE')).toContain('Hypersender dashboard');
	});
});
