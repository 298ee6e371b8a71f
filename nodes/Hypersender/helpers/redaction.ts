/** Shorter values are not secrets worth the damage of replacing every such letter in a message. */
const MIN_SECRET_LENGTH = 4;

/** Replaces every occurrence of a secret (raw or URL-encoded), e.g. when a server echoes the token back. */
export function redactSecret(text: string, secret: string): string {
	if (!secret || secret.length < MIN_SECRET_LENGTH) return text;
	let redacted = text;
	for (const form of new Set([secret, encodeURIComponent(secret)])) {
		redacted = redacted.split(form).join('[redacted]');
	}
	return redacted;
}
