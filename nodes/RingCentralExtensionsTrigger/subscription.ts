import { randomBytes } from 'node:crypto';

import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { pathSegments, ringCentralApiRequest } from '../shared/transport';
import { triggerAccountId } from './accountId';
import { unlessNotFound } from './notFound';

/** The longest lifetime RingCentral allows a WebHook subscription: ten years. */
export const SUBSCRIPTION_LIFETIME_SECONDS = 315_360_000;

/** What the trigger keeps in the workflow's static data (`getWorkflowStaticData('node')`). */
export interface SubscriptionState {
	subscriptionId?: string;
	/** The secret RingCentral sends back in every delivery's `Verification-Token` header. */
	verificationToken?: string;
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

/** The event filter for every extension of the account (create, update and delete alike). */
export function extensionEventFilter(accountId: string): string {
	return `/restapi/v1.0/account${pathSegments(accountId)}/extension`;
}

/** RingCentral stores "~" resolved to the account's id, so any account id matches "~". */
function isFilterFor(filter: string, accountId: string): boolean {
	if (accountId !== '~') return filter === extensionEventFilter(accountId);
	return /^\/restapi\/v1\.0\/account\/[^/]+\/extension$/.test(filter);
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
	if (!state.subscriptionId) return false;
	if (!state.verificationToken) {
		// Its deliveries could never be verified: it would only be refused until RingCentral blacklists it.
		await cancelSubscription(ctx, state.subscriptionId);
		clearState(state);
		return false;
	}
	const subscription = await readSubscription(ctx, state.subscriptionId);
	if (subscription && isUsable(subscription, webhookUrlOf(ctx), triggerAccountId(ctx))) return true;
	if (subscription) await cancelSubscription(ctx, subscription.id);
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
	const verificationToken = randomBytes(32).toString('base64url');
	const subscription = await ringCentralApiRequest<SubscriptionInfo>(ctx, {
		method: 'POST',
		scope: 'api',
		path: '/subscription',
		group: 'Medium',
		body: {
			eventFilters: [extensionEventFilter(triggerAccountId(ctx))],
			deliveryMode: { transportType: 'WebHook', address: webhookUrlOf(ctx), verificationToken },
			expiresIn: SUBSCRIPTION_LIFETIME_SECONDS,
		},
		expect: 'record',
	});
	const state = subscriptionState(ctx);
	state.subscriptionId = subscription.id;
	state.verificationToken = verificationToken;
	return true;
}

export async function deleteSubscription(ctx: IHookFunctions): Promise<boolean> {
	const state = subscriptionState(ctx);
	if (state.subscriptionId) await cancelSubscription(ctx, state.subscriptionId);
	clearState(state);
	return true;
}

async function readSubscription(
	ctx: IHookFunctions,
	id: string,
): Promise<SubscriptionInfo | undefined> {
	return await unlessNotFound(
		ringCentralApiRequest<SubscriptionInfo>(ctx, {
			method: 'GET',
			scope: 'api',
			path: `/subscription${pathSegments(id)}`,
			group: 'Light',
			expect: 'record',
		}),
	);
}

/** Deletes a subscription; one RingCentral no longer has is as good as deleted. */
async function cancelSubscription(ctx: IHookFunctions, id: string): Promise<void> {
	await unlessNotFound(
		ringCentralApiRequest(ctx, {
			method: 'DELETE',
			scope: 'api',
			path: `/subscription${pathSegments(id)}`,
			group: 'Medium',
		}),
	);
}

function clearState(state: SubscriptionState): void {
	delete state.subscriptionId;
	delete state.verificationToken;
}
