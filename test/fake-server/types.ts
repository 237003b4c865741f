import type { FakeGateway } from './gateway';
export type RateLimitGroup = 'Light' | 'Medium' | 'Heavy' | 'Auth';

export interface RateLimitOptions {
	windowSeconds: number;
	penaltySeconds: number;
	limits: Record<RateLimitGroup, number>;
	/** Send the X-Rate-Limit-* headers on every answer (default true). */
	headers?: boolean;
	/** Send Retry-After on a 429 (default true). */
	retryAfter?: boolean;
}

export interface RateLimitStats {
	refused: number;
	penaltyMs: number;
}

export interface JwtCredentials {
	clientId: string;
	clientSecret: string;
	assertion: string;
}

export interface TaskProgressOptions {
	/** The task reads Completed on this GET of it (earlier GETs read InProgress). Default 2. */
	completeAfterPolls?: number;
	/** Wall-clock alternative to completeAfterPolls: the task completes this long after creation. */
	completeAfterMs?: number;
}

export type AffectedItemsShape = 'object' | 'array';

export interface FakeRingCentralOptions {
	port?: number;
	seedExtensions?: number;
	seedTemplates?: number;
	accessToken?: string;
	accountId?: string;
	tokenLifetimeSeconds?: number;
	jwt?: JwtCredentials;
	task?: TaskProgressOptions;
	affectedItemsShape?: AffectedItemsShape;
	rateLimits?: RateLimitOptions | false;
	navigationBaseUrl?: string;
	/** Body of extension events: the spec's `{ extensionId, eventType, ownerId }` (default) or the docs' `{ extensions: [...] }`. */
	eventBodyShape?: EventBodyShape;
}

export type EventBodyShape = 'spec' | 'docs';
export type ExtensionEventType = 'Create' | 'Update' | 'Delete';

/** A WebHook subscription as the fake keeps it (the verification token is never shown by the API). */
export interface SubscriptionRecord {
	id: string;
	/** With `~` resolved to the account id. */
	eventFilters: string[];
	address: string;
	verificationToken?: string;
	status: 'Active' | 'Blacklisted';
	lifetimeSeconds: number;
	creationTime: string;
	expiresAt: number;
}

/** The API's SubscriptionInfo. */
export interface SubscriptionInfo {
	uri: string;
	id: string;
	eventFilters: string[];
	creationTime: string;
	expirationTime: string;
	expiresIn: number;
	status: 'Active' | 'Blacklisted';
	deliveryMode: { transportType: 'WebHook'; address: string; encryption: false };
}

/** One notification posted to a subscribed address. */
export interface DeliveryRecord {
	subscriptionId: string;
	address: string;
	uuid: string;
	payload: Record<string, unknown>;
	/** The address's answer; 0 while pending or when it could not be reached (see `error`). */
	status: number;
	response?: string;
	error?: string;
	at: number;
}

export interface ErrorEntity {
	errorCode: string;
	message: string;
	parameterName?: string;
	parameterValue?: string;
}

export interface RecordedRequest {
	method: string;
	/** Raw path as received, without the query string. */
	path: string;
	rawQuery: string;
	query: Record<string, string[]>;
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	/** Answered status; 0 while pending or when the connection was dropped without an answer. */
	status: number;
	operationId?: string;
	group?: RateLimitGroup;
	/** Arrival time, ms since the epoch. */
	at: number;
	/** When the answer was written, ms since the epoch (absent for dropped and redirected requests). */
	answeredAt?: number;
	/** The client's port: one connection, so requests on one port came from one process. */
	client?: number;
}

export interface Violation {
	/** `METHOD /path?query` */
	request: string;
	errors: unknown;
}

export type FaultMatch = {
	method?: string;
	/** A RegExp, or a string taken as a regular expression source; tested against the raw path. */
	path?: RegExp | string;
	operationId?: string;
};

export type Fault = {
	match?: FaultMatch;
	times?: number;
	/** Let this many matching requests through untouched first (default 0). */
	after?: number;
} & (
	| { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
	| { kind: 'drop' }
	| { kind: 'delay'; ms: number }
	| { kind: 'dropAfterProcessing' }
	/** Acts on the request, then sends the answer's headers and part of its body and cuts the connection. */
	| { kind: 'truncateAfterProcessing'; bytes?: number }
	/** Answers `status` (default 307) with `Location: location` instead of acting. */
	| { kind: 'redirect'; location: string; status?: number }
	/** Answers `status` with this text as the body, as a proxy or captive portal would (e.g. HTML). */
	| { kind: 'raw'; status: number; body: string; contentType?: string }
);

export interface ContactRecord {
	firstName?: string;
	lastName?: string;
	name?: string;
	company?: string;
	jobTitle?: string;
	email?: string;
	businessPhone?: string;
	mobilePhone?: string;
	department?: string;
	emailAsLoginName?: boolean;
	businessAddress?: Record<string, string>;
	pronouncedName?: Record<string, unknown>;
}

export interface IdReference {
	id: string;
	[key: string]: unknown;
}

export interface ExtensionRecord {
	id: number;
	uri: string;
	extensionNumber?: string;
	name: string;
	type: string;
	status: string;
	statusInfo?: { reason?: string; comment?: string };
	contact: ContactRecord;
	account: { id: string; uri: string };
	permissions: { admin: { enabled: boolean }; internationalCalling: { enabled: boolean } };
	profileImage: { uri: string };
	regionalSettings: Record<string, unknown>;
	setupWizardState: string;
	hidden: boolean;
	creationTime: string;
	costCenter?: IdReference;
	site?: IdReference;
	partnerId?: string;
	customFields?: unknown[];
	references?: unknown[];
	callQueueInfo?: Record<string, unknown>;
}

export interface TemplateRecord {
	id: string;
	uri: string;
	type: string;
	name: string;
	description: string;
	creationTime: string;
	lastModifiedTime: string;
}

export type TaskStatus = 'Accepted' | 'InProgress' | 'Completed' | 'Failed';

export interface ExtensionUpdateResult {
	extensionId: string;
	status: 'Success' | 'Fail';
	errors: ErrorEntity[];
}

export interface TaskResult {
	affectedItems?: { result: ExtensionUpdateResult[] } | ExtensionUpdateResult[];
	errors?: ErrorEntity[];
}

/** What the API shows of a bulk-update task. */
export interface TaskResource {
	id: string;
	uri: string;
	status: TaskStatus;
	creationTime: string;
	lastModifiedTime: string;
	result?: TaskResult;
}

export interface TaskRecord {
	resource: TaskResource;
	/** The records as sent in the bulk-update request. */
	records: BulkUpdateRecord[];
	createdAt: number;
	polls: number;
	/** Set by failNextTask: the task ends Failed with these task-level errors. */
	failWith?: ErrorEntity[];
}

/** One record of an extension-bulk-update request (already validated against the spec). */
export type BulkUpdateRecord = { id: string } & Record<string, unknown>;

export interface FakeState {
	extensions: ExtensionRecord[];
	templates: TemplateRecord[];
	tasks: Map<string, TaskRecord>;
	subscriptions: Map<string, SubscriptionRecord>;
}

export interface ResetOptions {
	/** Also reseed extensions and templates and forget tasks (default false). */
	state?: boolean;
}

export interface FakeRingCentral {
	url: string;
	/** RingCentral's WebSocket gateway (wstoken, connections, subscriptions over the socket). */
	gateway: FakeGateway;
	requests: RecordedRequest[];
	violations: Violation[];
	state: FakeState;
	injectFault(fault: Fault): void;
	failNextTask(errors?: ErrorEntity[]): void;
	/** Every token issued by the token endpoint answers 401 from now on (the static accessToken stays valid). */
	expireAllTokens(): void;
	/** Refresh tokens issued so far are rejected (invalid_grant) from now on. */
	revokeRefreshTokens(): void;
	requestsFor(operationId: string): RecordedRequest[];
	/** Per throttling group: 429s answered and how long the group was under penalty in all. */
	rateLimitStats(): Partial<Record<RateLimitGroup, RateLimitStats>>;
	/** Notifications posted to subscribed addresses, in order (cleared by reset). */
	deliveries: DeliveryRecord[];
	/** Resolves when every notification posted so far has been answered. */
	deliveriesSettled(): Promise<void>;
	/** Notifies the subscribers as if the extension had changed. */
	emitExtensionEvent(eventType: ExtensionEventType, extensionId: number | string): void;
	/** Posts a delivered notification once more, same uuid; false when it or its subscription is gone. */
	redeliver(uuid: string): boolean;
	expireSubscription(id: string): void;
	blacklistSubscription(id: string): void;
	setEventBodyShape(shape: EventBodyShape): void;
	/** Clears the request log, violations, queued faults and rate-limit counters; with { state: true } also reseeds. */
	reset(options?: ResetOptions): void;
	close(): Promise<void>;
}
