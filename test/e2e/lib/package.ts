import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_NAME, type N8n } from './n8n';
import { E2EFailure, log, run, tail } from './process';

export interface PackageOptions {
	/** Echo npm's output live. */
	verbose?: boolean;
	/** Self-test: point the installed package.json at a dist path that does not exist. */
	breakPackage?: boolean;
}

async function npm(args: string[], cwd: string, what: string, verbose = false): Promise<string> {
	const result = await run('npm', args, {
		cwd,
		timeoutMs: 300_000,
		echoPrefix: verbose ? '    [npm] ' : undefined,
	});
	if (result.code !== 0)
		throw new E2EFailure(`${what} failed (npm ${args.join(' ')})`, tail(result.all, 40));
	return result.stdout;
}

/** npm pack the repository (dist must be built) into `into`; returns the tarball path. */
export async function pack(
	repo: string,
	into: string,
	options: PackageOptions = {},
): Promise<string> {
	const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
		n8n?: { nodes?: string[]; credentials?: string[] };
	};
	const declared = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	const missing = declared.filter((file) => !existsSync(join(repo, file)));
	if (missing.length > 0) {
		throw new E2EFailure(
			`the package.json "n8n" section lists files that the build did not produce: ${missing.join(', ')}`,
		);
	}
	const out = await npm(
		['pack', '--json', '--ignore-scripts', '--pack-destination', into],
		repo,
		'npm pack',
		options.verbose,
	);
	const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{
		filename: string;
		files: Array<{ path: string }>;
	}>;
	const tarball = join(into, info.filename);
	const packed = new Set(info.files.map((file) => file.path));
	const notPacked = declared.filter((file) => !packed.has(file));
	if (notPacked.length > 0)
		throw new E2EFailure(
			`npm pack left out files the "n8n" section needs: ${notPacked.join(', ')}`,
		);
	log(`packed ${info.filename} (${info.files.length} files)`);
	return tarball;
}

/** Installs the tarball the way n8n lays out community packages: <user folder>/.n8n/nodes/node_modules. */
export async function installPackage(
	n8n: N8n,
	tarball: string,
	options: PackageOptions = {},
): Promise<void> {
	mkdirSync(n8n.nodesFolder, { recursive: true });
	writeFileSync(
		join(n8n.nodesFolder, 'package.json'),
		JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
	);
	await npm(
		[
			'install',
			tarball,
			'--ignore-scripts',
			'--omit=peer',
			'--omit=dev',
			'--no-audit',
			'--no-fund',
			'--no-package-lock',
			'--prefer-offline',
		],
		n8n.nodesFolder,
		'installing the package into the n8n nodes folder',
		options.verbose,
	);
	const installed = join(n8n.nodesFolder, 'node_modules', PACKAGE_NAME);
	if (!existsSync(join(installed, 'package.json')))
		throw new E2EFailure(`the package did not land in ${installed}`);
	const extras = readdirSync(join(n8n.nodesFolder, 'node_modules')).filter(
		(name) => !name.startsWith('.') && name !== PACKAGE_NAME,
	);
	if (extras.length > 0) {
		throw new E2EFailure(
			`installing the package pulled in other packages (${extras.join(', ')}); a community node must have no runtime dependencies`,
		);
	}
	if (options.breakPackage) {
		const manifestPath = join(installed, 'package.json');
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { n8n: { nodes: string[] } };
		manifest.n8n.nodes = manifest.n8n.nodes.map((file) => file.replace(/^dist\//, 'dist-missing/'));
		writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		log(
			'E2E_BREAK_PACKAGE=1: pointed the installed package.json at a dist path that does not exist',
		);
	}
	log(`installed into ${installed}`);
}
