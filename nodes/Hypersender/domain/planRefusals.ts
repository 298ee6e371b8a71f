/**
 * Answers that mean the account's plan lacks a feature, not that the request was wrong. Hypersender
 * sends custom link previews (`send-link-custom-preview`) only for subscribed accounts; how it
 * refuses a trial account is not documented, so a 402, or a 403 or failed queued request whose
 * message speaks of a subscription, plan or trial, is taken as that refusal.
 */

export const LINK_PREVIEW_PAID_ONLY = 'Send Link Preview needs a subscribed (paid) Hypersender plan; this account is on a trial';

const PLAN_WORDS = /subscri|\bplans?\b|trial|\bpaid\b|upgrade|premium|billing/i;

/**
 * The words for a refusal of Send Link Preview: the call's own 402 or 403, or a queued record that
 * ended 4xx. Undefined for any other failure, which keeps its usual wording (a bare 403 still
 * points at the token and the instance).
 */
export function linkPreviewRefusal(status: number, apiMessage: string | undefined): { message: string; description: string } | undefined {
	const planWords = PLAN_WORDS.test(apiMessage ?? '');
	if (status !== 402 && !(status >= 400 && status < 500 && planWords)) return undefined;
	const said = apiMessage ? `: ${apiMessage}` : '';
	return {
		message: `${LINK_PREVIEW_PAID_ONLY} (Hypersender API error ${status}${said})`,
		description:
			'Hypersender sends custom link previews only for subscribed accounts, so nothing was sent. Upgrade the plan in the Hypersender dashboard, or use Send Text with Link Preview on: WhatsApp then builds the card from the page itself.',
	};
}
