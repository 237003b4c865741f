// What `npm pack` would publish: only what n8n needs, loadable by n8n's community-node loader.
/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- this test runs `npm run build` and `npm pack`; tests are never shipped */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, posix } from 'node:path';

import type { ICredentialType, INodeType } from 'n8n-workflow';

const ROOT = join(__dirname, '..');
const NODE_FILE = 'dist/nodes/RingCentralExtensions/RingCentralExtensions.node.js';
const TRIGGER_FILE = 'dist/nodes/RingCentralExtensionsTrigger/RingCentralExtensionsTrigger.node.js';
const WEBSOCKET_TRIGGER_FILE =
	'dist/nodes/RingCentralExtensionsWebSocketTrigger/RingCentralExtensionsWebSocketTrigger.node.js';

interface PackResult {
	name: string;
	version: string;
	unpackedSize: number;
	files: Array<{ path: string; size: number }>;
}

interface Manifest {
	name: string;
	keywords: string[];
	license: string;
	files: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { n8nNodesApiVersion: number; strict: boolean; nodes: string[]; credentials: string[] };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

function filesUnder(directory: string): string[] {
	return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
		const path = join(directory, entry.name);
		return entry.isDirectory() ? filesUnder(path) : [path];
	});
}

/** The build is missing or older than a source file (a .ts, icon or codex file): build it. */
function ensureFreshBuild(): void {
	const built = join(ROOT, NODE_FILE);
	const sources = ['nodes', 'credentials'].flatMap((directory) =>
		filesUnder(join(ROOT, directory)),
	);
	const newestSource = Math.max(...sources.map((file) => statSync(file).mtimeMs));
	if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'pipe' });
}

let pack: PackResult;
let packedPaths: string[];

beforeAll(() => {
	ensureFreshBuild();
	const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	pack = (JSON.parse(output) as PackResult[])[0];
	packedPaths = pack.files.map((file) => file.path);
}, 120_000);

/** Loads a class the way n8n's loader does: the export named after the file, from the built file. */
function loadClass<T>(
	path: string,
	suffix: '.node.js' | '.credentials.js',
): { className: string; instance: T } {
	const className = basename(path, suffix);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(join(ROOT, path)) as Record<string, new () => T>;
	expect(typeof exported[className]).toBe('function');
	return { className, instance: new exported[className]() };
}

describe('the tarball', () => {
	test('is the package named in the contract', () => {
		expect(pack.name).toBe('n8n-nodes-ringcentral-extensions');
		expect(manifest.name).toBe(pack.name);
	});

	test('holds only dist, README.md, LICENSE, CHANGELOG.md and package.json', () => {
		const outsideDist = packedPaths.filter((path) => !path.startsWith('dist/'));
		expect(outsideDist.sort()).toEqual(
			expect.arrayContaining(['LICENSE', 'README.md', 'package.json']),
		);
		for (const path of outsideDist)
			expect(['LICENSE', 'README.md', 'package.json', 'CHANGELOG.md']).toContain(path);
		expect(manifest.files).toEqual(['dist', 'CHANGELOG.md']);
		expect(packedPaths).toContain('CHANGELOG.md');
	});

	test('ships no tests, no TypeScript sources and no build caches', () => {
		const unwanted = packedPaths.filter(
			(path) =>
				/(^|\/)test\//.test(path) ||
				/\.test\./.test(path) ||
				(path.endsWith('.ts') && !path.endsWith('.d.ts')) ||
				path.endsWith('.tsbuildinfo') ||
				path.includes('node_modules/'),
		);
		expect(unwanted).toEqual([]);
	});

	test('stays small (no dependencies or data bundled by mistake)', () => {
		expect(pack.unpackedSize).toBeLessThan(1_500_000);
	});

	test('has the icons and the codex file next to the node, and the icons next to the credentials', () => {
		for (const path of [
			'dist/nodes/RingCentralExtensions/RingCentralExtensions.node.json',
			'dist/nodes/RingCentralExtensions/ringCentralExtensions.svg',
			'dist/nodes/RingCentralExtensions/ringCentralExtensions.dark.svg',
			'dist/nodes/RingCentralExtensionsTrigger/RingCentralExtensionsTrigger.node.json',
			'dist/nodes/RingCentralExtensionsTrigger/ringCentralExtensionsTrigger.svg',
			'dist/nodes/RingCentralExtensionsTrigger/ringCentralExtensionsTrigger.dark.svg',
			'dist/credentials/ringCentral.svg',
			'dist/credentials/ringCentral.dark.svg',
		]) {
			expect(packedPaths).toContain(path);
		}
	});
});

describe('publishing', () => {
	test('`npm publish --dry-run` of the packed tarball publishes exactly the files above', () => {
		const workDir = mkdtempSync(join(tmpdir(), 'rc-publish-'));
		try {
			const [packed] = JSON.parse(
				execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
					cwd: ROOT,
					encoding: 'utf8',
				}),
			) as Array<{ filename: string }>;
			// The release workflow publishes from the repository; a dry run of the tarball shows the
			// same contents without a registry login (npm only warns that none is set).
			const output = execFileSync(
				'npm',
				['publish', '--dry-run', '--json', '--ignore-scripts', join(workDir, packed.filename)],
				{ cwd: workDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
			);
			const published = (JSON.parse(output) as Record<string, PackResult>)[manifest.name];
			expect(published.name).toBe(manifest.name);
			expect(published.files.map((file) => file.path).sort()).toEqual([...packedPaths].sort());
		} finally {
			rmSync(workDir, { recursive: true, force: true });
		}
	});
});

describe('package.json', () => {
	test('is a community node package: keyword, MIT licence, n8n API version 1, strict', () => {
		expect(manifest.keywords).toContain('n8n-community-node-package');
		expect(manifest.license).toBe('MIT');
		expect(manifest.n8n.n8nNodesApiVersion).toBe(1);
		expect(manifest.n8n.strict).toBe(true);
	});

	test('has no runtime dependencies; n8n-workflow is a peer dependency', () => {
		expect(Object.keys(manifest.dependencies ?? {})).toEqual([]);
		expect(manifest.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	test('every node and credential file in its n8n section is in the tarball', () => {
		const declared = [...manifest.n8n.nodes, ...manifest.n8n.credentials];
		expect(declared.length).toBe(6);
		for (const path of declared) expect(packedPaths).toContain(path);
	});
});

describe('the built code, loaded as n8n loads it', () => {
	test('the compiled JavaScript requires only n8n-workflow, Node built-ins and files that are in the tarball', () => {
		const allowed = new Set([
			'n8n-workflow',
			...builtinModules,
			...builtinModules.map((name) => `node:${name}`),
		]);
		const packed = new Set(packedPaths);
		const resolvesInTarball = (from: string, module: string) =>
			['', '.js', '.json', '/index.js'].some((ending) =>
				packed.has(posix.join(posix.dirname(from), module + ending)),
			);
		const unresolved = packedPaths
			.filter((path) => path.endsWith('.js'))
			.flatMap((path) =>
				[...readFileSync(join(ROOT, path), 'utf8').matchAll(/require\("([^"]+)"\)/g)]
					.map((match) => match[1])
					.filter((module) =>
						module.startsWith('.') ? !resolvesInTarball(path, module) : !allowed.has(module),
					)
					.map((module) => `${path}: ${module}`),
			);
		expect(unresolved).toEqual([]);
	});

	test('the node class is RingCentralExtensions with the contract names', () => {
		expect(manifest.n8n.nodes).toEqual([NODE_FILE, TRIGGER_FILE, WEBSOCKET_TRIGGER_FILE]);
		const { className, instance } = loadClass<INodeType>(NODE_FILE, '.node.js');
		expect(className).toBe('RingCentralExtensions');
		const { description } = instance;
		expect(description).toEqual(
			expect.objectContaining({
				name: 'ringCentralExtensions',
				displayName: 'RingCentral Extensions',
				version: 1,
				usableAsTool: true,
			}),
		);
		expect(description.credentials?.map((credential) => credential.name)).toEqual([
			'ringCentralAccessTokenApi',
			'ringCentralJwtApi',
			'ringCentralOAuth2Api',
		]);
		expect(Object.keys(instance.methods?.listSearch ?? {})).toContain('searchTemplates');
	});

	test('the trigger class is RingCentralExtensionsTrigger with the contract names', () => {
		const { className, instance } = loadClass<INodeType>(TRIGGER_FILE, '.node.js');
		expect(className).toBe('RingCentralExtensionsTrigger');
		const { description } = instance;
		expect(description).toEqual(
			expect.objectContaining({
				name: 'ringCentralExtensionsTrigger',
				displayName: 'RingCentral Extensions Trigger',
				version: 1,
				inputs: [],
			}),
		);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST' }),
		]);
		expect(description.credentials?.map((credential) => credential.name)).toEqual([
			'ringCentralAccessTokenApi',
			'ringCentralJwtApi',
			'ringCentralOAuth2Api',
		]);
		const parameters = Object.fromEntries(
			description.properties.map((property) => [property.name, property]),
		);
		expect(Object.keys(parameters)).toEqual([
			'authentication',
			'accountId',
			'events',
			'includeDetails',
		]);
		expect(parameters.accountId.default).toBe('~');
		expect(parameters.events).toMatchObject({ type: 'multiOptions', required: true });
		expect(parameters.events.options?.map((option) => (option as { value: string }).value)).toEqual(
			['created', 'updated', 'deleted'],
		);
		expect(parameters.includeDetails).toMatchObject({ type: 'boolean', default: true });
		expect(Object.keys(instance.webhookMethods?.default ?? {})).toEqual([
			'checkExists',
			'create',
			'delete',
		]);
	});

	test('the WebSocket trigger class has the contract names, trigger() and no webhook', () => {
		const { className, instance } = loadClass<INodeType>(WEBSOCKET_TRIGGER_FILE, '.node.js');
		expect(className).toBe('RingCentralExtensionsWebSocketTrigger');
		expect(instance.description).toEqual(
			expect.objectContaining({
				name: 'ringCentralExtensionsWebSocketTrigger',
				version: 1,
				inputs: [],
			}),
		);
		expect(instance.description.webhooks).toBeUndefined();
		expect(typeof instance.trigger).toBe('function');
		expect(instance.description.properties.map((property) => property.name)).toEqual([
			'deliveryNotice',
			'authentication',
			'accountId',
			'events',
			'includeDetails',
		]);
	});

	test('the credential classes carry the contract names, and each file is named after its class', () => {
		const loaded = manifest.n8n.credentials.map((path) => {
			const { className, instance } = loadClass<ICredentialType>(path, '.credentials.js');
			return { className, name: instance.name, hasTest: instance.test !== undefined };
		});
		expect(loaded).toEqual([
			{ className: 'RingCentralAccessTokenApi', name: 'ringCentralAccessTokenApi', hasTest: true },
			{ className: 'RingCentralJwtApi', name: 'ringCentralJwtApi', hasTest: true },
			{ className: 'RingCentralOAuth2Api', name: 'ringCentralOAuth2Api', hasTest: true },
		]);
	});

	test('every icon a class points to ("file:...") is in the tarball beside it', () => {
		const iconsOf = (path: string, icon: unknown) =>
			(typeof icon === 'string' ? [icon] : Object.values(icon as Record<string, string>)).map(
				(file) => posix.join(posix.dirname(path), file.replace(/^file:/, '')),
			);
		const node = loadClass<INodeType>(NODE_FILE, '.node.js').instance;
		const trigger = loadClass<INodeType>(TRIGGER_FILE, '.node.js').instance;
		const webSocketTrigger = loadClass<INodeType>(WEBSOCKET_TRIGGER_FILE, '.node.js').instance;
		const icons = [
			...iconsOf(NODE_FILE, node.description.icon),
			...iconsOf(TRIGGER_FILE, trigger.description.icon),
			...iconsOf(WEBSOCKET_TRIGGER_FILE, webSocketTrigger.description.icon),
			...manifest.n8n.credentials.flatMap((path) =>
				iconsOf(path, loadClass<ICredentialType>(path, '.credentials.js').instance.icon),
			),
		];
		expect(icons.length).toBe(12);
		for (const icon of icons) expect(packedPaths).toContain(icon);
	});
});
