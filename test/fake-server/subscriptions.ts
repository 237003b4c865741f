import { randomBytes } from 'node:crypto';

import { ApiError, errorBody, resourceNotFound } from './errors';
import type { SubscriptionInfo, SubscriptionRecord } from './types';

/** RingCentral's limit for WebHook subscriptions: ten years. */
export const MAX_WEBHOOK_LIFETIME_SECONDS = 315_360_000;
/** RingCentral's default when a request gives no expiresIn. */
const DEFAULT_LIFETIME_SECONDS = 604_800;
/** How long RingCentral waits for the validation answer. */
export const VALIDATION_TIMEOUT_MS = 3000;
const MAX_VALIDATION_BODY_BYTES = 1024;

export interface SubscriptionSettings {
	baseUrl: string;
	accountId: string;
}

/** A validated CreateSubscriptionRequest (only WebHook delivery is in the spec subset). */
interface CreateRequest {
	eventFilters: string[];
	expiresIn?: number;
	deliveryMode: { transportType: 'WebHook'; address: string; verificationToken?: string };
}

interface UpdateRequest {
	eventFilters?: string[];
	expiresIn?: number;
}

/**
 * WebHook subscriptions: create (after RingCentral's validation request to the address), read,
 * list, update, renew, delete; an expired subscription is gone (404), as at RingCentral.
 */
export class Subscriptions {
	constructor(
		private readonly records: Map<string, SubscriptionRecord>,
		private readonly settings: SubscriptionSettings,
	) {}

	async create(body: CreateRequest): Promise<SubscriptionInfo> {
		const { address, verificationToken } = body.deliveryMode;
		await validateAddress(address);
		const id = randomBytes(8).toString('hex');
		const lifetime = lifetimeOf(body.expiresIn);
		const record: SubscriptionRecord = {
			id,
			eventFilters: body.eventFilters.map((filter) => this.resolveFilter(filter)),
			address,
			verificationToken,
			status: 'Active',
			lifetimeSeconds: lifetime,
			creationTime: new Date().toISOString(),
			expiresAt: Date.now() + lifetime * 1000,
		};
		this.records.set(id, record);
		return this.info(record);
	}

	list(): { uri: string; records: SubscriptionInfo[] } {
		this.sweep();
		return {
			uri: `${this.settings.baseUrl}/restapi/v1.0/subscription`,
			records: [...this.records.values()].map((record) => this.info(record)),
		};
	}

	read(id: string): SubscriptionInfo {
		return this.info(this.find(id));
	}

	update(id: string, body: UpdateRequest | undefined): SubscriptionInfo {
		const record = this.find(id);
		if (body?.eventFilters) {
			record.eventFilters = body.eventFilters.map((filter) => this.resolveFilter(filter));
		}
		record.lifetimeSeconds = lifetimeOf(body?.expiresIn ?? record.lifetimeSeconds);
		record.expiresAt = Date.now() + record.lifetimeSeconds * 1000;
		return this.info(record);
	}

	renew(id: string): SubscriptionInfo {
		const record = this.find(id);
		record.expiresAt = Date.now() + record.lifetimeSeconds * 1000;
		return this.info(record);
	}

	delete(id: string): void {
		this.find(id);
		this.records.delete(id);
	}

	/** Ends a subscription's lifetime now (RingCentral then forgets it). */
	expire(id: string): void {
		this.find(id).expiresAt = Date.now();
		this.sweep();
	}

	/** What RingCentral does to an address that keeps failing: no more deliveries. */
	blacklist(id: string): void {
		this.find(id).status = 'Blacklisted';
	}

	/** Active subscriptions whose filters cover this event filter. */
	subscribersOf(eventFilter: string): SubscriptionRecord[] {
		this.sweep();
		const resolved = this.resolveFilter(eventFilter);
		return [...this.records.values()].filter(
			(record) => record.status === 'Active' && record.eventFilters.includes(resolved),
		);
	}

	private find(id: string): SubscriptionRecord {
		this.sweep();
		const record = this.records.get(id);
		if (!record) throw resourceNotFound('subscriptionId');
		return record;
	}

	private sweep(): void {
		const now = Date.now();
		for (const [id, record] of this.records) {
			if (record.expiresAt <= now) this.records.delete(id);
		}
	}

	/** RingCentral stores `~` resolved to the account id, and answers with it so. */
	private resolveFilter(filter: string): string {
		return filter.replace(
			/^\/restapi\/v1\.0\/account\/~(?=\/|$)/,
			`/restapi/v1.0/account/${this.settings.accountId}`,
		);
	}

	private info(record: SubscriptionRecord): SubscriptionInfo {
		return {
			uri: `${this.settings.baseUrl}/restapi/v1.0/subscription/${record.id}`,
			id: record.id,
			eventFilters: [...record.eventFilters],
			creationTime: record.creationTime,
			expirationTime: new Date(record.expiresAt).toISOString(),
			expiresIn: Math.max(0, Math.round((record.expiresAt - Date.now()) / 1000)),
			status: record.status,
			deliveryMode: { transportType: 'WebHook', address: record.address, encryption: false },
		};
	}
}

function lifetimeOf(expiresIn: number | undefined): number {
	return Math.min(expiresIn ?? DEFAULT_LIFETIME_SECONDS, MAX_WEBHOOK_LIFETIME_SECONDS);
}

/**
 * RingCentral's validation request: a POST with a `Validation-Token` header that the address
 * must answer with 200 and the same header within 3 s, with a body under 1 KB.
 */
async function validateAddress(address: string): Promise<void> {
	const token = randomBytes(16).toString('hex');
	let failure: string | undefined;
	try {
		const response = await fetch(address, {
			method: 'POST',
			headers: { 'Validation-Token': token },
			signal: AbortSignal.timeout(VALIDATION_TIMEOUT_MS),
		});
		const body = await response.arrayBuffer();
		if (response.status !== 200) failure = `it answered HTTP ${response.status}`;
		else if (response.headers.get('validation-token') !== token)
			failure = 'it did not echo the Validation-Token header';
		else if (body.byteLength >= MAX_VALIDATION_BODY_BYTES)
			failure = `its body has ${body.byteLength} bytes`;
	} catch (error) {
		failure = `it could not be reached in ${VALIDATION_TIMEOUT_MS} ms (${(error as Error).message})`;
	}
	if (failure) {
		const message = `WebHook validation of [${address}] failed: ${failure}`;
		throw new ApiError(
			400,
			errorBody('SUB-523', message, [
				{ errorCode: 'SUB-523', message, parameterName: 'deliveryMode.address' },
			]),
		);
	}
}
