import type { IDataObject } from 'n8n-workflow';

import { isPlainObject } from '../../shared/helpers/values';
import { normalizedKey } from './matching/keys';

type Value = IDataObject[string];

/** One changed field: its value now, and the value asked for. */
export interface FieldChange extends IDataObject {
	from: Value;
	to: Value;
}

/** Changed fields by path, e.g. `contact.jobTitle`. */
export type Changes = Record<string, FieldChange>;

/** Values that can be written but never read back: they cannot be compared or shown. */
export const SECRET_FIELDS = ['password', 'ivrPin'];
const HIDDEN = '(hidden)';

/** The email is compared as it is matched: without regard to case or surrounding spaces. */
const EMAIL_PATH = 'contact.email';

/** Every set value of a request body by path; arrays count as one value. */
export function leaves(value: IDataObject, prefix = ''): Array<[string, Value]> {
	return Object.entries(value).flatMap(([key, child]): Array<[string, Value]> => {
		const path = prefix ? `${prefix}.${key}` : key;
		if (child === undefined || child === null) return [];
		return isPlainObject(child) ? leaves(child, path) : [[path, child]];
	});
}

export function valueAt(record: IDataObject, path: string): Value {
	let current: Value = record;
	for (const key of path.split('.')) {
		if (!isPlainObject(current)) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

function comparable(path: string, value: unknown): unknown {
	if (value === undefined || value === null || value === '') return undefined;
	if (Array.isArray(value) || isPlainObject(value)) return JSON.stringify(value);
	if (path === EMAIL_PATH) return normalizedKey('email', value);
	return typeof value === 'string' ? value.trim() : String(value);
}

/** Whether the value an extension holds already is the one asked for (ids 5 and "5" are equal). */
export function sameValue(path: string, current: unknown, wanted: unknown): boolean {
	return comparable(path, current) === comparable(path, wanted);
}

/**
 * The fields of `wanted` whose value differs from the extension's. Only the fields `wanted`
 * sets are compared. Secrets cannot be read back: with `secrets: 'report'` they are listed as
 * changes with a hidden value, otherwise they are left out.
 */
export function diff(
	current: IDataObject,
	wanted: IDataObject,
	secrets: 'report' | 'skip' = 'skip',
): Changes {
	const changes: Changes = {};
	for (const [path, to] of leaves(wanted)) {
		if (SECRET_FIELDS.includes(path)) {
			if (secrets === 'report') changes[path] = { from: null, to: HIDDEN };
			continue;
		}
		const from = valueAt(current, path);
		if (!sameValue(path, from, to)) changes[path] = { from: from ?? null, to };
	}
	return changes;
}

/** What a new extension gets: every field set, from nothing (secrets hidden). */
export function creationChanges(body: IDataObject): Changes {
	return Object.fromEntries(
		leaves(body).map(([path, to]) => [
			path,
			{ from: null, to: SECRET_FIELDS.includes(path) ? HIDDEN : to },
		]),
	);
}

/** The request body that writes exactly these changes. */
export function patchOf(changes: Changes): IDataObject {
	const patch: IDataObject = {};
	for (const [path, { to }] of Object.entries(changes)) {
		const keys = path.split('.');
		let target = patch;
		for (const key of keys.slice(0, -1)) {
			target[key] = isPlainObject(target[key]) ? target[key] : {};
			target = target[key] as IDataObject;
		}
		target[keys[keys.length - 1]] = to;
	}
	return patch;
}

/** The record with a patch applied: objects merge key by key, other values replace. */
export function withPatch(record: IDataObject, patch: IDataObject): IDataObject {
	const merged: IDataObject = { ...record };
	for (const [key, value] of Object.entries(patch)) {
		const current = merged[key];
		merged[key] =
			isPlainObject(current) && isPlainObject(value) ? withPatch(current, value) : value;
	}
	return merged;
}

/** A body without its secrets, for output. */
export function withoutSecrets(body: IDataObject): IDataObject {
	return Object.fromEntries(Object.entries(body).filter(([key]) => !SECRET_FIELDS.includes(key)));
}
