import type { IDataObject } from 'n8n-workflow';

/** Reads `a.b.c` from an object, as lodash `get` does for plain dot paths. */
export function getPath(source: IDataObject, path: string): unknown {
	let current: unknown = source;
	for (const key of path.split('.')) {
		if (typeof current !== 'object' || current === null) return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

/** Writes `a.b.c` into an object, creating the objects on the way, as lodash `set` does. */
export function setPath(target: IDataObject, path: string, value: unknown): void {
	const keys = path.split('.');
	let current = target;
	for (const key of keys.slice(0, -1)) {
		if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
		current = current[key] as IDataObject;
	}
	current[keys[keys.length - 1]] = value as IDataObject[string];
}

export function unsetPath(target: IDataObject, path: string): void {
	const keys = path.split('.');
	const parent = keys.length === 1 ? target : getPath(target, keys.slice(0, -1).join('.'));
	if (typeof parent === 'object' && parent !== null)
		delete (parent as IDataObject)[keys[keys.length - 1]];
}

/** Splits a comma-separated list of field names. */
export function fieldList(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((field) => field.trim())
		.filter(Boolean);
}
