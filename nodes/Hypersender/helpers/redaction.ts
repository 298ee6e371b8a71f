/** Shorter values are not secrets worth the damage of replacing every such letter in a message. */
const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of a secret, e.g. when a server echoes the token back: as it is,
 * URL-encoded, and as it is written inside a JSON string (PHP's encoder also escapes "/").
 * Run on a response body before it is parsed or cut for a preview, so no part of it survives.
 */
export function redactSecret(text: string, secret: string): string {
	if (!secret || secret.length < MIN_SECRET_LENGTH) return text;
	const inJson = JSON.stringify(secret).slice(1, -1);
	const forms = [secret, encodeURIComponent(secret), inJson, inJson.replace(/\//g, '\\/')];
	let redacted = text;
	for (const form of new Set(forms)) {
		if (redacted.includes(form)) redacted = redacted.split(form).join('[redacted]');
	}
	return redacted;
}
