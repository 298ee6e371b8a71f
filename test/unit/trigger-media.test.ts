import type { IDataObject } from 'n8n-workflow';

import { HypersenderTrigger } from '../../nodes/HypersenderTrigger/HypersenderTrigger.node';
import { incomingMedia, MEDIA_KINDS, mediaFileName, publicMedia } from '../../nodes/HypersenderTrigger/media';

const voice = {
	id: 'false_4915123456789@c.us_3EB0C767D26A1C4D6A7B',
	hasMedia: true,
	media: { url: 'https://media.example/ogg/1?exp=1&sig=abc', mimetype: 'audio/ogg; codecs=opus', filename: null, error: null },
	_data: { message: { audioMessage: { ptt: true } } },
};

describe('incoming media (WAHA\'s shape and its variants)', () => {
	test('WAHA\'s {url, mimetype, filename, error}: a voice note is audio, its link and type as they came', () => {
		expect(incomingMedia(voice)).toEqual({
			kind: 'audio',
			url: 'https://media.example/ogg/1?exp=1&sig=abc',
			data: undefined,
			mimeType: 'audio/ogg; codecs=opus',
			fileName: undefined,
			error: undefined,
		});
	});

	test('the kind comes from WhatsApp\'s message type first, then from the MIME type', () => {
		const kind = (payload: IDataObject) => incomingMedia({ hasMedia: true, ...payload })?.kind;
		expect(kind({ media: { mimetype: 'image/webp' }, _data: { message: { stickerMessage: {} } } })).toBe('sticker');
		expect(kind({ media: { mimetype: 'image/webp' } })).toBe('image');
		expect(kind({ media: { mimetype: 'video/mp4' }, _data: { message: { ptvMessage: {} } } })).toBe('video');
		expect(kind({ media: { mimetype: 'application/pdf', filename: 'invoice.pdf' } })).toBe('document');
		expect(kind({ media: { mimetype: 'image/jpeg' }, _data: { message: { documentMessage: {} } } })).toBe('document');
		expect(kind({ media: {} })).toBe('document');
	});

	test('camel-case keys, base64 data instead of a link, an error set, no media object at all', () => {
		expect(incomingMedia({ hasMedia: true, media: { mimeType: 'image/png', fileName: 'a.png', data: 'iVBORw0KGgo=' } })).toMatchObject({
			kind: 'image',
			mimeType: 'image/png',
			fileName: 'a.png',
			data: 'iVBORw0KGgo=',
			url: undefined,
		});
		expect(incomingMedia({ hasMedia: true, media: { url: null, error: 'Media not available' } })?.error).toBe('Media not available');
		expect(incomingMedia({ hasMedia: true, media: { url: null, error: { code: 410 } } })?.error).toBe('{"code":410}');
		expect(incomingMedia({ hasMedia: true, media: null })?.error).toMatch(/carries no media object/);
		expect(incomingMedia({ hasMedia: false, media: null })).toBeUndefined();
		expect(incomingMedia({ body: 'hi' })).toBeUndefined();
	});
});

describe('the file name and the fields the item keeps', () => {
	test('the payload\'s own file name, else the message ID and an extension from the type', () => {
		const media = incomingMedia(voice)!;
		expect(mediaFileName(media, voice)).toBe('3EB0C767D26A1C4D6A7B.ogg');
		expect(mediaFileName({ ...media, fileName: 'Rechnung 1042.pdf' }, voice)).toBe('Rechnung 1042.pdf');
		expect(mediaFileName({ kind: 'image', mimeType: 'image/jpeg' }, {})).toBe('image.jpg');
		expect(mediaFileName({ kind: 'document', mimeType: 'application/vnd.ms-excel' }, { id: 'x_y_AB12' })).toBe('AB12.bin');
		expect(mediaFileName({ kind: 'document' }, { id: '../../etc' })).toBe('etc.bin');
		expect(mediaFileName({ kind: 'document', fileName: '../../secret/x.pdf' }, {})).toBe('x.pdf');
		expect(mediaFileName({ kind: 'audio', mimeType: 'audio/x-wav' }, {})).toBe('audio.xwav');
	});

	test('the link loses its query and fragment (its signature), inline base64 is dropped, the rest stays', () => {
		expect(publicMedia({ url: 'https://cdn.example/m/1.ogg?exp=1&sig=secret#x', mimetype: 'audio/ogg', filename: null, error: null })).toEqual({
			url: 'https://cdn.example/m/1.ogg',
			mimetype: 'audio/ogg',
			filename: null,
			error: null,
		});
		expect(publicMedia({ data: 'AAAA', mimetype: 'image/png' })).toEqual({ mimetype: 'image/png' });
		expect(publicMedia({ url: 'not a url' })).toEqual({ url: null });
		expect(publicMedia(null)).toBeNull();
	});
});

test('Media Types offers every kind, and all of them by default', () => {
	const options = new HypersenderTrigger().description.properties.find((property) => property.name === 'options');
	const mediaTypes = (options?.options as Array<{ name: string; default?: unknown; options?: Array<{ value: string }> }>).find(
		(option) => option.name === 'mediaTypes',
	);
	const kinds = MEDIA_KINDS.map(({ value }) => value);
	expect(mediaTypes?.options?.map(({ value }) => value)).toEqual(kinds);
	expect(mediaTypes?.default).toEqual(kinds);
});
