import { invalidParameters, resourceNotFound } from './errors';
import {
	accountUri,
	defaultRegionalSettings,
	FIRST_EXTENSION_ID,
	FIRST_EXTENSION_NUMBER,
} from './seed';
import type {
	BulkUpdateRecord,
	ContactRecord,
	ErrorEntity,
	ExtensionRecord,
	ExtensionUpdateResult,
	IdReference,
} from './types';

export interface ExtensionFilters {
	extensionNumber?: string;
	email?: string[];
	status?: string[];
	type?: string[];
}

/** An ExtensionCreationRequest that passed validation. */
export interface ExtensionCreationRequest {
	contact?: ContactRecord;
	extensionNumber?: string;
	password?: string;
	ivrPin?: string;
	status?: string;
	type?: string;
	name?: string;
	hidden?: boolean;
	setupWizardState?: string;
	regionalSettings?: Record<string, unknown>;
	statusInfo?: { reason?: string; comment?: string };
	costCenter?: IdReference;
	site?: IdReference;
	partnerId?: string;
	customFields?: unknown[];
	references?: unknown[];
}

export interface AccountLocation {
	baseUrl: string;
	accountId: string;
}

export function filterExtensions(
	extensions: ExtensionRecord[],
	filters: ExtensionFilters,
): ExtensionRecord[] {
	const emails = filters.email?.map((email) => email.toLowerCase());
	return extensions.filter(
		(extension) =>
			(filters.extensionNumber === undefined ||
				extension.extensionNumber === filters.extensionNumber) &&
			(emails === undefined || emails.includes(extension.contact.email?.toLowerCase() ?? '')) &&
			(filters.status === undefined ||
				filters.status.some((status) => hasStatus(extension, status))) &&
			(filters.type === undefined || filters.type.includes(extension.type)),
	);
}

/** `Unassigned` also selects extensions that have no extension number. */
function hasStatus(extension: ExtensionRecord, status: string): boolean {
	return extension.status === status || (status === 'Unassigned' && !extension.extensionNumber);
}

export function findExtension(
	extensions: ExtensionRecord[],
	id: string,
): ExtensionRecord | undefined {
	// Compared as numbers: String() on every extension made large bulk updates quadratic in time.
	const numericId = Number(id);
	if (String(numericId) !== id) return undefined;
	return extensions.find((extension) => extension.id === numericId);
}

export function createExtension(
	extensions: ExtensionRecord[],
	request: ExtensionCreationRequest,
	location: AccountLocation,
): ExtensionRecord {
	const conflicts = findConflicts(extensions, request.contact?.email, request.extensionNumber);
	if (conflicts.length > 0) throw invalidParameters(conflicts);

	const {
		contact = {},
		extensionNumber = nextExtensionNumber(extensions),
		password,
		ivrPin: _ivrPin,
		status,
		type = 'User',
		name,
		hidden = false,
		setupWizardState = 'NotStarted',
		regionalSettings = {},
		...rest
	} = request;
	const id = nextExtensionId(extensions);
	const extensionUri = `${accountUri(location.baseUrl, location.accountId)}/extension/${id}`;
	const extension: ExtensionRecord = {
		...rest,
		id,
		uri: extensionUri,
		extensionNumber,
		name: name ?? fullName(contact) ?? `Extension ${extensionNumber}`,
		type,
		// New users need a password to start Enabled; anything else waits for activation.
		status: password !== undefined && status === 'Enabled' ? 'Enabled' : 'NotActivated',
		contact,
		account: { id: location.accountId, uri: accountUri(location.baseUrl, location.accountId) },
		permissions: { admin: { enabled: false }, internationalCalling: { enabled: false } },
		profileImage: { uri: `${extensionUri}/profile-image` },
		regionalSettings: mergeDeep(defaultRegionalSettings(), regionalSettings),
		setupWizardState,
		hidden,
		creationTime: new Date().toISOString(),
	};
	extensions.push(extension);
	return extension;
}

/** Applies one bulk-update record, as RingCentral does when the task runs. */
export function applyExtensionUpdate(
	extensions: ExtensionRecord[],
	record: BulkUpdateRecord,
): ExtensionUpdateResult {
	const extension = findExtension(extensions, record.id);
	if (!extension) {
		return failure(record.id, [
			{
				errorCode: 'CMN-102',
				message: 'Extension not found',
				parameterName: 'id',
				parameterValue: record.id,
			},
		]);
	}
	const contact = record.contact as ContactRecord | undefined;
	const extensionNumber = record.extensionNumber as string | undefined;
	const conflicts = findConflicts(extensions, contact?.email, extensionNumber, extension.id);
	if (conflicts.length > 0) return failure(record.id, conflicts);

	Object.assign(extension, mergeDeep(extension, extensionChanges(record)));
	if (contact && extension.type === 'User') {
		extension.name = fullName(extension.contact) ?? extension.name;
	}
	return { extensionId: record.id, status: 'Success', errors: [] };
}

/**
 * Applies an ExtensionUpdateRequest (PUT of one extension) at once: 404 CMN-102 for an unknown
 * id, 400 CMN-101 for an email or number another extension holds, as create answers.
 */
export function updateExtension(
	extensions: ExtensionRecord[],
	id: string,
	request: Record<string, unknown>,
): ExtensionRecord {
	const extension = findExtension(extensions, id);
	if (!extension) throw resourceNotFound('extensionId');
	const contact = request.contact as ContactRecord | undefined;
	const extensionNumber = request.extensionNumber as string | undefined;
	const conflicts = findConflicts(extensions, contact?.email, extensionNumber, extension.id);
	if (conflicts.length > 0) throw invalidParameters(conflicts);
	const { password: _password, ivrPin: _ivrPin, transition: _transition, ...changes } = request;
	Object.assign(extension, mergeDeep(extension, changes));
	if (contact && extension.type === 'User') {
		extension.name = fullName(extension.contact) ?? extension.name;
	}
	return extension;
}

/** Removes one extension; 404 CMN-102 when there is none with that id. */
export function deleteExtension(extensions: ExtensionRecord[], id: string): void {
	const extension = findExtension(extensions, id);
	if (!extension) throw resourceNotFound('extensionId');
	extensions.splice(extensions.indexOf(extension), 1);
}

function failure(extensionId: string, errors: ErrorEntity[]): ExtensionUpdateResult {
	return { extensionId, status: 'Fail', errors };
}

/** The part of a bulk-update record that shows up in the extension record. */
function extensionChanges(record: BulkUpdateRecord): Record<string, unknown> {
	const {
		id: _id,
		password: _password,
		ivrPin: _ivrPin,
		transition: _transition,
		reason,
		comment,
		...changes
	} = record;
	if (reason === undefined && comment === undefined) return changes;
	return { ...changes, statusInfo: { ...(changes.statusInfo as object), reason, comment } };
}

function findConflicts(
	extensions: ExtensionRecord[],
	email: string | undefined,
	extensionNumber: string | undefined,
	exceptId?: number,
): ErrorEntity[] {
	// Scanned without copying: a 10,000-record bulk update checks each record against every extension.
	const others = {
		some: (test: (other: ExtensionRecord) => boolean) =>
			extensions.some((other) => other.id !== exceptId && test(other)),
	};
	const conflicts: ErrorEntity[] = [];
	if (email && others.some((other) => other.contact.email?.toLowerCase() === email.toLowerCase())) {
		conflicts.push(inUse(`Email address [${email}] is already in use`, 'contact.email', email));
	}
	if (extensionNumber && others.some((other) => other.extensionNumber === extensionNumber)) {
		conflicts.push(
			inUse(
				`Extension number [${extensionNumber}] is already in use`,
				'extensionNumber',
				extensionNumber,
			),
		);
	}
	return conflicts;
}

function inUse(message: string, parameterName: string, parameterValue: string): ErrorEntity {
	return { errorCode: 'CMN-101', message, parameterName, parameterValue };
}

function nextExtensionId(extensions: ExtensionRecord[]): number {
	return (
		extensions.reduce(
			(highest, extension) => Math.max(highest, extension.id),
			FIRST_EXTENSION_ID - 1,
		) + 1
	);
}

function nextExtensionNumber(extensions: ExtensionRecord[]): string {
	const taken = new Set(extensions.map((extension) => extension.extensionNumber));
	let candidate = FIRST_EXTENSION_NUMBER;
	while (taken.has(String(candidate))) candidate++;
	return String(candidate);
}

function fullName(contact: ContactRecord): string | undefined {
	const parts = [contact.firstName, contact.lastName].filter(Boolean);
	return parts.length > 0 ? parts.join(' ') : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; arrays and scalars in the patch replace what was there. */
export function mergeDeep<T extends object>(target: T, patch: object): T {
	const merged: Record<string, unknown> = { ...(target as Record<string, unknown>) };
	for (const [key, value] of Object.entries(patch)) {
		const current = merged[key];
		merged[key] =
			isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
	}
	return merged as T;
}
