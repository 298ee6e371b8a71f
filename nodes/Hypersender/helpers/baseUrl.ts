/**
 * Where the API token may go: the credential's Base URL, checked before any request. Used by the
 * node (before it sends anything) and by the credential's own authenticate step (so the dialog's
 * test and any node that borrows the credential are held to the same rule).
 */

/** The forms a Base URL may take, for error messages. */
export const BASE_URL_FORMS =
	'https://<host>/<path> (e.g. https://app.hypersender.com/api/whatsapp/v2), or http:// only on this machine (localhost, 127.0.0.1, [::1]) for a local stand-in, without a user name or password';

/**
 * 127.0.0.0/8, localhost and ::1: the only hosts plain http may reach, for the Base URL and for
 * downloads alike. Takes a URL's `hostname` (an IPv6 address comes in brackets).
 */
export function isLoopbackHost(hostname: string): boolean {
	const host = hostname.toLowerCase();
	return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The Base URL without trailing slashes, or what is wrong with it (in words, without the URL's secrets). */
export function checkBaseUrl(value: unknown): { url: string; origin: string } | { problem: string } {
	const text = String(value ?? '').trim().replace(/\/+$/, '');
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return { problem: `${JSON.stringify(text.slice(0, 200))} is not a URL` };
	}
	if (parsed.username !== '' || parsed.password !== '') {
		// Never echo the URL: its password is the problem.
		return { problem: 'it contains a user name or password (user:password@host), which would be sent along with every request' };
	}
	if (parsed.protocol === 'https:') return { url: text, origin: parsed.origin };
	if (parsed.protocol === 'http:') {
		if (isLoopbackHost(parsed.hostname)) return { url: text, origin: parsed.origin };
		return { problem: `it uses plain http to ${parsed.host}, which would send the API token unencrypted` };
	}
	return { problem: `its scheme ${JSON.stringify(parsed.protocol)} is not https` };
}

/** The Hypersender APIs one credential reaches: WhatsApp (the Base URL itself), one-time codes and SMS. */
export type ApiFamily = 'whatsapp' | 'otp' | 'sms';

/**
 * The base URL of one API family, derived from the credential's (checked) WhatsApp Base URL, on
 * the same origin, so the token's origin rule holds for all of them. Hypersender serves them side
 * by side: `…/api/whatsapp/v2`, `…/api/otp/v2` and `…/api/sms/v2`. A Base URL that does not end in
 * `/whatsapp/v<N>` (a stand-in that serves every API under one path) is used as it is.
 */
export function apiFamilyUrl(baseUrl: string, family: ApiFamily): string {
	if (family === 'whatsapp') return baseUrl;
	const match = /^(.*)\/whatsapp\/v\d+$/i.exec(baseUrl);
	return match ? `${match[1]}/${family}/v2` : baseUrl;
}
