/** Replaces every occurrence of a secret (raw or URL-encoded), e.g. when a server echoes the token back. */
export function redactSecret(text: string, secret: string): string {
	if (!secret) return text;
	let redacted = text;
	for (const form of new Set([secret, encodeURIComponent(secret)])) {
		redacted = redacted.split(form).join('[redacted]');
	}
	return redacted;
}
