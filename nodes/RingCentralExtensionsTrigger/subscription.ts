import { randomBytes } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { credentialTypeFor } from '../shared/descriptions';
import { accountIdOf } from '../shared/helpers/parameters';
import { pathSegments, ringCentralApiRequest } from '../shared/transport';
import { extensionEventFilter, isFilterFor } from '../shared/extensionEvents/events';
import { subscriptionAnswer, type Unmanageable } from '../shared/transport/notFound';

/** The longest lifetime RingCentral allows a WebHook subscription: ten years. */
export const SUBSCRIPTION_LIFETIME_SECONDS = 315_360_000;

/** What the trigger keeps in the workflow's static data (`getWorkflowStaticData('node')`). */
export interface SubscriptionState {
	subscriptionId?: string;
	/** The secret RingCentral sends back in every delivery's `Verification-Token` header. */
	verificationToken?: string;
	/** The credential (type and n8n id) the subscription was made with: RingCentral keeps it per app and user. */
	credential?: string;
	/** The event filter as RingCentral stored it ("~" resolved to the account's id). */
	eventFilter?: string;
}

interface SubscriptionInfo {
	id: string;
	status?: string;
	expirationTime?: string;
	eventFilters?: string[];
	deliveryMode?: { address?: string };
}

export function subscriptionState(ctx: { getWorkflowStaticData(type: string): IDataObject }) {
	return ctx.getWorkflowStaticData('node') as SubscriptionState;
}

/** The trigger's credential as `type:id` (the id n8n gives it, not a secret). */
function credentialOf(ctx: IHookFunctions): string {
	const authentication = String(ctx.getNodeParameter('authentication', 'accessToken'));
	const type = credentialTypeFor(authentication);
	return `${type}:${ctx.getNode().credentials?.[type]?.id ?? ''}`;
}

function webhookUrlOf(ctx: IHookFunctions): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(ctx.getNode(), 'n8n has no webhook URL for this trigger');
	return url;
}

/**
 * Whether the stored subscription still delivers here: RingCentral may have dropped it
 * (expired, blacklisted after failed deliveries, deleted in another app) or it may point at
 * another address (n8n's WEBHOOK_URL changed). A stale one is deleted so it stops delivering
 * and does not count against RingCentral's 30 subscriptions per user.
 */
export async function subscriptionExists(ctx: IHookFunctions): Promise<boolean> {
	const state = subscriptionState(ctx);
	const { subscriptionId } = state;
	if (!subscriptionId) return false;
	const credentialChanged =
		state.credential !== undefined && state.credential !== credentialOf(ctx);
	if (!state.verificationToken) {
		// Its deliveries could never be verified: it would only be refused until RingCentral blacklists it.
		await cancelSubscription(ctx, subscriptionId, credentialChanged);
		clearState(state);
		return false;
	}
	const read = await readSubscription(ctx, subscriptionId);
	if ('value' in read && isUsable(read.value, webhookUrlOf(ctx), accountIdOf(ctx))) {
		state.credential = credentialOf(ctx);
		return true;
	}
	if ('value' in read) await cancelSubscription(ctx, subscriptionId, credentialChanged);
	else warnIfLeftBehind(ctx, subscriptionId, read.unmanageable, credentialChanged);
	clearState(state);
	return false;
}

function isUsable(subscription: SubscriptionInfo, address: string, accountId: string): boolean {
	const expiresAt = Date.parse(subscription.expirationTime ?? '');
	return (
		subscription.status === 'Active' &&
		(Number.isNaN(expiresAt) || expiresAt > Date.now()) &&
		subscription.deliveryMode?.address === address &&
		(subscription.eventFilters ?? []).some((filter) => isFilterFor(filter, accountId))
	);
}

/**
 * Subscribes the webhook URL to the account's extension events. RingCentral first checks the
 * URL with a validation request, which n8n already routes to `webhook()`.
 */
export async function createSubscription(ctx: IHookFunctions): Promise<boolean> {
	const eventFilters = [extensionEventFilter(accountIdOf(ctx))];
	const address = webhookUrlOf(ctx);
	await removeOrphans(ctx, address);
	const verificationToken = randomBytes(32).toString('base64url');
	const subscription = await ringCentralApiRequest<SubscriptionInfo>(ctx, {
		method: 'POST',
		scope: 'api',
		path: '/subscription',
		group: 'Medium',
		body: {
			eventFilters,
			deliveryMode: { transportType: 'WebHook', address, verificationToken },
			expiresIn: SUBSCRIPTION_LIFETIME_SECONDS,
		},
		expect: 'record',
	});
	const state = subscriptionState(ctx);
	state.subscriptionId = subscription.id;
	state.verificationToken = verificationToken;
	state.credential = credentialOf(ctx);
	const eventFilter = subscription.eventFilters?.[0];
	if (eventFilter) state.eventFilter = eventFilter;
	return true;
}

/**
 * Subscriptions to this very webhook URL that the trigger does not know: made by an activation
 * whose answer was lost. They would count toward RingCentral's limit of about 30 per user and
 * deliver what the trigger refuses (their secret was never saved), so they are deleted first.
 */
async function removeOrphans(ctx: IHookFunctions, address: string): Promise<void> {
	const list = await ringCentralApiRequest<{ records?: SubscriptionInfo[] }>(ctx, {
		method: 'GET',
		scope: 'api',
		path: '/subscription',
		group: 'Light',
	});
	const orphans = (list.records ?? []).filter(
		(subscription) => subscription.deliveryMode?.address === address,
	);
	for (const orphan of orphans) await cancelSubscription(ctx, orphan.id, false);
}

export async function deleteSubscription(ctx: IHookFunctions): Promise<boolean> {
	const state = subscriptionState(ctx);
	if (state.subscriptionId) {
		const credentialChanged =
			state.credential !== undefined && state.credential !== credentialOf(ctx);
		await cancelSubscription(ctx, state.subscriptionId, credentialChanged);
	}
	clearState(state);
	return true;
}

async function readSubscription(ctx: IHookFunctions, id: string) {
	return await subscriptionAnswer(
		ringCentralApiRequest<SubscriptionInfo>(ctx, {
			method: 'GET',
			scope: 'api',
			path: `/subscription${pathSegments(id)}`,
			group: 'Light',
			expect: 'record',
		}),
	);
}

/**
 * Deletes a subscription; one RingCentral no longer has is as good as deleted, and one this
 * credential may not manage (403) is left to RingCentral, with a warning.
 */
async function cancelSubscription(
	ctx: IHookFunctions,
	id: string,
	credentialChanged: boolean,
): Promise<void> {
	const answer = await subscriptionAnswer(
		ringCentralApiRequest(ctx, {
			method: 'DELETE',
			scope: 'api',
			path: `/subscription${pathSegments(id)}`,
			group: 'Medium',
		}),
	);
	if ('unmanageable' in answer) warnIfLeftBehind(ctx, id, answer.unmanageable, credentialChanged);
}

/**
 * A subscription this credential cannot see or delete may still deliver to this workflow's URL:
 * after a credential change (another app or user) RingCentral answers 403 or 404 for it. Its
 * deliveries are refused (their secret is forgotten) until it expires or is blacklisted.
 */
function warnIfLeftBehind(
	ctx: IHookFunctions,
	id: string,
	unmanageable: Unmanageable,
	credentialChanged: boolean,
): void {
	if (unmanageable === 'gone' && !credentialChanged) return;
	const why =
		unmanageable === 'notOurs'
			? 'RingCentral refused it to this credential (HTTP 403: it belongs to another app or user)'
			: "it was made with the trigger's previous credential, and RingCentral does not show it to this one (HTTP 404)";
	ctx.logger.warn(
		`RingCentral Extensions Trigger: subscription ${id} could not be deleted: ${why}. ` +
			'If it still exists it keeps sending deliveries that the trigger refuses, until it ' +
			'expires or RingCentral blacklists it; delete it with the credential it was made with ' +
			'to stop it now.',
		{ subscriptionId: id },
	);
}

function clearState(state: SubscriptionState): void {
	delete state.subscriptionId;
	delete state.verificationToken;
	delete state.credential;
	delete state.eventFilter;
}
