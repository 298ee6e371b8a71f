/**
 * File name extensions for the media types WhatsApp carries, for the files the nodes make (a
 * trigger's downloaded media, a profile picture). One table; each caller keeps its own fallback.
 */
const EXTENSIONS: Readonly<Record<string, string>> = {
	'audio/ogg': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'application/pdf': 'pdf',
};

/**
 * The extension for a media type (`image/jpeg` → `jpg`); parameters and case do not count.
 * Undefined for a type outside the table: the caller decides (the subtype, or `bin`).
 */
export function extensionFor(mimeType: string | undefined): string | undefined {
	const type = (mimeType ?? '').split(';')[0].trim().toLowerCase();
	return Object.hasOwn(EXTENSIONS, type) ? EXTENSIONS[type] : undefined;
}
