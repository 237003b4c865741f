import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Filters } from '../../../shared/helpers/filters';
import { inputError } from '../../../shared/helpers/inputErrors';
import { specEnums } from '../../../shared/helpers/schemas.generated';
import { describeValue } from '../../../shared/helpers/values';
import { normalizedKey } from '../matching/keys';

/** What Create or Update does with the extensions in scope that no input item names. */
export type MissingMode = 'keep' | 'report' | 'disable';

const MISSING_MODES: readonly MissingMode[] = ['keep', 'report', 'disable'];

/** Whose absence from the input counts: a left-out field means its default. */
export interface Scope {
	types: string[];
	statuses: string[];
	/** Lower-cased department names; empty for every department. */
	departments: string[];
	/** Ids, extension numbers and emails (lower-cased) never reported or disabled. */
	exclude: string[];
}

export const SCOPE_DEFAULTS = {
	types: ['User'],
	statuses: ['Enabled', 'NotActivated'],
} as const;

/** The most extensions Max Disable lets one run disable without a refusal, by default. */
export const MAX_DISABLE_DEFAULT = 10;

export interface MissingSettings {
	mode: MissingMode;
	scope: Scope;
	maxDisable: number;
}

/** A scope list of enum values, or its default when left out. */
function choicesOr(filters: Filters, name: 'types' | 'statuses', allowed: readonly string[]) {
	return [...new Set(filters.choices(name, allowed) ?? SCOPE_DEFAULTS[name])];
}

/** An exclude entry as it is compared: emails without regard to case, the rest as trimmed text. */
function excludeKey(entry: string): string {
	return entry.includes('@') ? normalizedKey('email', entry)! : entry.trim();
}

function scopeOf(ctx: IExecuteFunctions, itemIndex: number): Scope {
	const filters = new Filters(ctx, itemIndex, 'scope');
	return {
		types: choicesOr(filters, 'types', specEnums.extensionType),
		statuses: choicesOr(filters, 'statuses', specEnums.extensionStatus),
		departments: (filters.list('departments') ?? []).map((name) => name.toLowerCase()),
		exclude: (filters.list('exclude') ?? []).map(excludeKey),
	};
}

function maxDisableOf(ctx: IExecuteFunctions, itemIndex: number): number {
	const value = ctx.getNodeParameter('maxDisable', itemIndex, MAX_DISABLE_DEFAULT) as unknown;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
	throw inputError(
		ctx,
		itemIndex,
		'maxDisable',
		`must be a whole number of at least 0, not ${describeValue(value)}`,
	);
}

/** Missing Extensions, Scope and Max Disable of one item, checked before anything is sent. */
export function missingSettingsOf(ctx: IExecuteFunctions, itemIndex: number): MissingSettings {
	const mode = ctx.getNodeParameter('missingExtensions', itemIndex, 'keep') as MissingMode;
	if (!MISSING_MODES.includes(mode)) {
		throw inputError(
			ctx,
			itemIndex,
			'missingExtensions',
			`must be one of ${MISSING_MODES.join(', ')}, not ${describeValue(mode)}`,
		);
	}
	if (mode === 'keep') return { mode, scope: scopeDefaults(), maxDisable: MAX_DISABLE_DEFAULT };
	return {
		mode,
		scope: scopeOf(ctx, itemIndex),
		maxDisable: mode === 'disable' ? maxDisableOf(ctx, itemIndex) : MAX_DISABLE_DEFAULT,
	};
}

function scopeDefaults(): Scope {
	return {
		types: [...SCOPE_DEFAULTS.types],
		statuses: [...SCOPE_DEFAULTS.statuses],
		departments: [],
		exclude: [],
	};
}

/** The list request's filters for the scope (repeated keys, as the spec says). */
export function scopeQuery(scope: Scope): IDataObject {
	return { type: scope.types, status: scope.statuses };
}

/** Whether a listed extension (already of the scope's types and statuses) is in its departments. */
export function inScopeDepartments(scope: Scope, extension: IDataObject): boolean {
	if (scope.departments.length === 0) return true;
	const department = (extension.contact as IDataObject | undefined)?.department;
	return (
		typeof department === 'string' && scope.departments.includes(department.trim().toLowerCase())
	);
}

/** The exclude entry that names this extension, if any. */
export function excludedBy(scope: Scope, extension: IDataObject): string | undefined {
	const names = [
		String(extension.id),
		normalizedKey('extensionNumber', extension.extensionNumber),
		normalizedKey('email', (extension.contact as IDataObject | undefined)?.email),
	];
	return scope.exclude.find((entry) => names.includes(entry));
}
