import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { PACKAGE_NAME } from './n8n';
import { E2EFailure } from './process';

/** The repository this (compiled) file belongs to: the folder above whose package.json is ours. */
export function findRepo(): string {
	let dir = __dirname;
	for (let i = 0; i < 8; i++) {
		const manifest = join(dir, 'package.json');
		if (
			existsSync(manifest) &&
			(JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME
		) {
			return dir;
		}
		dir = resolve(dir, '..');
	}
	throw new E2EFailure(`cannot find the ${PACKAGE_NAME} repository above ${__dirname}`);
}

export interface CredentialReference {
	id: string;
	name: string;
}

export interface WorkflowFile {
	id?: string;
	name?: string;
	nodes?: Array<{
		name: string;
		type?: string;
		parameters?: Record<string, unknown>;
		credentials?: Record<string, unknown>;
	}>;
}

/**
 * Points every RingCentral Extensions node (and Trigger) of an example at the given credentials,
 * by the node's `authentication`; returns the names of those nodes.
 */
export function pointAtCredentials(
	workflow: WorkflowFile,
	credentials: { accessToken: CredentialReference; jwt: CredentialReference },
): string[] {
	const names: string[] = [];
	for (const node of workflow.nodes ?? []) {
		if (!node.type?.startsWith(`${PACKAGE_NAME}.`)) continue;
		names.push(node.name);
		const authentication = node.parameters?.authentication ?? 'accessToken';
		if (authentication === 'accessToken')
			node.credentials = { ringCentralAccessTokenApi: credentials.accessToken };
		if (authentication === 'jwt') node.credentials = { ringCentralJwtApi: credentials.jwt };
	}
	return names;
}

/** A workflow from examples/, with the fixed id a scenario gives it. */
export function readExample(file: string, id: string): WorkflowFile {
	const workflow = JSON.parse(
		readFileSync(join(findRepo(), 'examples', file), 'utf8'),
	) as WorkflowFile;
	workflow.id = id;
	return workflow;
}
