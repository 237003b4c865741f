import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * The trigger's `accountId`, read as the action node reads it: trimmed, "~" when empty. RingCentral
 * stores "~" resolved to the account's id, so an untrimmed "~ " would never match the stored
 * event filter and the subscription would be made again on every activation.
 */
export function triggerAccountId(ctx: IHookFunctions | IWebhookFunctions): string {
	return String(ctx.getNodeParameter('accountId', '~') ?? '').trim() || '~';
}
