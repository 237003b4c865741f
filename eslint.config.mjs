// n8n's community-node lint rules, set up as n8n's own `@n8n/node-cli` sets them up.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import tseslint from 'typescript-eslint';

const communityNodesRecommended = n8nCommunityNodesPlugin.configs.recommended;

const subfolders = (folder) =>
	existsSync(join(import.meta.dirname, folder))
		? readdirSync(join(import.meta.dirname, folder), { withFileTypes: true })
				.filter((entry) => entry.isDirectory())
				.map((entry) => `${folder}/${entry.name}`)
		: [];

/** Every node's folder: ./nodes/<Node> (not ./nodes/shared). */
const nodeFolders = subfolders('./nodes').filter((folder) => folder !== './nodes/shared');

/** Every resource folder of every node: ./nodes/<Node>/actions/<resource>. */
const resourceFolders = nodeFolders.flatMap((node) => subfolders(`${node}/actions`));

/** One zone per folder: it imports nothing from its siblings. */
const keptApart = (folders, message) =>
	folders.map((folder) => ({
		target: folder,
		from: folders.filter((other) => other !== folder),
		message,
	}));

/**
 * The layers import downward only (docs/architecture.md): node file -> description and router ->
 * operations -> the node's helpers -> transport -> shared helpers. Paths are relative to this file's folder.
 */
export const layerZones = [
	{
		target: './nodes/shared/helpers',
		from: ['./nodes', './credentials'],
		// Whether a value can be one URL path segment is the transport's rule (paths.ts, itself a
		// leaf); pathId checks parameters against it before anything is sent.
		except: ['./shared/helpers', './shared/transport/paths.ts'],
		message: 'Helpers are leaves: they import only other helpers (and transport/paths.ts).',
	},
	{
		target: './nodes/shared/transport',
		from: ['./nodes/*/actions/**', './nodes/*/methods/**', './nodes/*/*.node.ts'],
		message: 'The transport must not import operations, methods or a node.',
	},
	{
		target: './nodes/*/helpers/**',
		from: './nodes/*/actions/**',
		message:
			"A node's helpers import no actions: operations use helpers, never the other way round.",
	},
	{
		target: './nodes/*/actions/**/*.operation.ts',
		from: './nodes/*/actions/**/*.operation.ts',
		message:
			"An operation imports no other operation: move what both need into the node's helpers/.",
	},
	...keptApart(
		resourceFolders,
		"A resource's folder imports nothing from another resource's folder: shared logic lives in the node's helpers/.",
	),
	{
		target: './nodes/*/actions/**',
		from: './credentials',
		message:
			'Operations must not import credentials; shared server facts are in nodes/shared/server.ts.',
	},
	...keptApart(
		nodeFolders,
		"A node's folder imports nothing from another node's folder: what nodes share lives in nodes/shared/.",
	),
	{
		target: './nodes/shared',
		from: './nodes',
		except: ['./shared'],
		message: 'nodes/shared is shared by every node: it must not import a node folder.',
	},
	{
		target: './credentials',
		from: './nodes',
		except: ['./shared/server.ts', './shared/transport/auth.ts'],
		message:
			"Credentials import nodes/shared/server.ts and the transport's token exchange (nodes/shared/transport/auth.ts) only.",
	},
];

/** Every HTTP request goes through the transport (nodes/shared/transport), the token exchange included. */
export const httpOutsideTransport = [
	{
		selector:
			'MemberExpression[property.name=/^(httpRequest|httpRequestWithAuthentication|requestWithAuthentication|requestOAuth2)$/]',
		message: 'HTTP requests go through the transport (nodes/shared/transport) only.',
	},
	{
		// n8n's deprecated helpers.request; other objects' request methods (the transport's own
		// sessions, a WebSocket gateway's requests) are not HTTP sends of their own.
		selector: "MemberExpression[property.name='request'][object.property.name='helpers']",
		message: 'HTTP requests go through the transport (nodes/shared/transport) only.',
	},
	{
		selector: "CallExpression[callee.name='fetch']",
		message: 'HTTP requests go through the transport (nodes/shared/transport) only.',
	},
];

export default tseslint.config(
	{ ignores: ['dist/**', '.build/**', '.e2e/**', 'coverage/**', 'node_modules/**'] },
	{
		files: ['**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended, communityNodesRecommended],
		rules: {
			'prefer-spread': 'off',
			'no-console': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
			],
		},
	},
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		plugins: { 'import-x': importX },
		settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })] },
		rules: {
			'import-x/no-restricted-paths': [
				'error',
				{ basePath: import.meta.dirname, zones: layerZones },
			],
			'no-restricted-syntax': ['error', ...httpOutsideTransport],
		},
	},
	{
		// The one place that sends HTTP requests.
		files: ['nodes/shared/transport/**/*.ts'],
		rules: { 'no-restricted-syntax': 'off' },
	},
	{
		files: ['package.json'],
		extends: [communityNodesRecommended],
		rules: { ...n8nNodesBase.configs.community.rules },
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Turned off by n8n's own CLI config: these two predate themed icons and URL docs.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Turned off by n8n's own CLI config: they predate NodeConnectionTypes and typed maxValue.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
	{
		// Tests, the fake server, the harness and scripts are dev tooling, not the shipped node:
		// they may use timers and process, which the shipped code must not.
		files: ['test/**/*.ts', 'scripts/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-dead-files': 'off',
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
			'@n8n/community-nodes/require-node-api-error': 'off',
			'@n8n/community-nodes/node-usable-as-tool': 'off',
		},
	},
);
