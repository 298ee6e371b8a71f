/** The picture encoders: PNG pixels survive the round trip; JPEGs are well-formed for any colour. */
import { avatarFor, avatarFormat, encodePng, encodeSolidJpeg } from '../../sandbox/images';
import { readJpeg, readPng } from './image-format';

test('a PNG holds exactly the pixels it was given', () => {
	const pixel = (x: number, y: number): [number, number, number] => [x * 10, y * 20, (x * y) % 256];
	const { width, height, rgb } = readPng(encodePng(16, 8, pixel));
	expect([width, height]).toEqual([16, 8]);
	expect([...rgb.subarray((3 * 16 + 5) * 3, (3 * 16 + 5) * 3 + 3)]).toEqual(pixel(5, 3));
});

test.each([
	[0, 0, 0],
	[255, 255, 255],
	[255, 0, 0],
	[0, 255, 255],
	[18, 140, 126],
])('a JPEG of rgb(%i, %i, %i) is a well-formed baseline file', (r, g, b) => {
	const info = readJpeg(encodeSolidJpeg(48, 48, [r, g, b]));
	expect(info).toMatchObject({ width: 48, height: 48, components: 3 });
	expect(info.markers).toEqual([0xe0, 0xdb, 0xc0, 0xc4, 0xda]);
});

test('an avatar is the same bytes for the same id, in the format its id gives', () => {
	expect(avatarFor('123@c.us').bytes).toEqual(avatarFor('123@c.us').bytes);
	expect(avatarFor('123@c.us').format).toBe(avatarFormat('123@c.us'));
});

test('about a third of the ids get a JPEG', () => {
	const ids = Array.from({ length: 3000 }, (_, i) => `${1000 + i}@c.us`);
	const share = ids.filter((id) => avatarFormat(id) === 'jpeg').length / ids.length;
	expect(share).toBeGreaterThan(0.28);
	expect(share).toBeLessThan(0.38);
});
