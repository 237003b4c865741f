#!/usr/bin/env node
// n8n's verification scan, run before publishing: `@n8n/scan-community-package` only scans
// packages already on npm, so this calls its `analyzePackage` on what we would publish.
// Like the real scan it lints two things: the packed tarball (its compiled .js and package.json)
// and the source it was built from (package.json, nodes/ and credentials/), with the scanner's
// own rule sets: @n8n/eslint-plugin-community-nodes "recommended", eslint-plugin-n8n-nodes-base
// (community, credentials, nodes) and no-console. Any finding fails.
//
//   node scripts/scan-package.mjs                     build, pack, scan tarball and source
//   node scripts/scan-package.mjs --unpacked <dir>    scan an unpacked package only (tests)
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// The scanner makes a temporary folder when it loads; let its `tmp` remove it at exit.
createRequire(import.meta.resolve('@n8n/scan-community-package/scanner/scanner.mjs'))(
	'tmp',
).setGracefulCleanup();
/** What the scanner lints in a published tarball (see its analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

function run(command, args, cwd) {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Builds, packs and unpacks the package into a fresh temporary folder; returns that folder. */
function packAndUnpack(workDir) {
	run('npm', ['run', 'build', '--silent'], ROOT);
	const [packed] = JSON.parse(
		run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], ROOT),
	);
	const unpacked = join(workDir, 'package');
	mkdirSync(unpacked);
	run(
		'tar',
		['-xzf', join(workDir, packed.filename), '-C', unpacked, '--strip-components=1'],
		ROOT,
	);
	return { unpacked, fileCount: packed.files.length };
}

function report(label, result) {
	if (result.passed) return true;
	process.stderr.write(`n8n scan of ${label}: ${result.message}\n${result.details ?? ''}\n`);
	return false;
}

async function main() {
	const scanner = JSON.parse(
		readFileSync(join(ROOT, 'node_modules/@n8n/scan-community-package/package.json'), 'utf8'),
	);
	const unpackedArgument = process.argv.indexOf('--unpacked');
	if (unpackedArgument !== -1) {
		const dir = process.argv[unpackedArgument + 1];
		const passed = report(dir, await analyzePackage(dir, TARBALL_FILE_PATTERNS));
		process.exitCode = passed ? 0 : 1;
		return;
	}

	const workDir = mkdtempSync(join(tmpdir(), 'rc-scan-'));
	try {
		const { unpacked, fileCount } = packAndUnpack(workDir);
		const tarballPassed = report(
			'the packed tarball',
			await analyzePackage(unpacked, TARBALL_FILE_PATTERNS),
		);
		const sourcePassed = report('the source', await analyzePackage(ROOT, SOURCE_FILE_PATTERNS));
		if (!tarballPassed || !sourcePassed) {
			process.exitCode = 1;
			return;
		}
		process.stdout.write(
			`n8n scan (@n8n/scan-community-package ${scanner.version}): the tarball's ${fileCount} files and the source pass\n`,
		);
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

await main();
