/**
 * A playground: the fake RingCentral (seeded) plus a real n8n editor with this package installed.
 * Started by scripts/e2e/playground.sh (which provisions n8n, builds, compiles this file).
 *
 * Environment:
 *   NODE24_BIN, N8N_BIN     from scripts/e2e/install-n8n.sh --print-env
 *   PLAYGROUND_DIR          n8n user folder, kept between starts (default <repo>/.e2e/playground)
 *   PLAYGROUND_FRESH=1      wipe it first
 *   N8N_PORT                editor port (default 5678)
 *   FAKE_RC_PORT            fake RingCentral port (default 5680)
 *   N8N_RUNNERS_BROKER_PORT n8n's task broker port (default 5679)
 *   FAKE_RC_SEED_EXTENSIONS / FAKE_RC_SEED_TEMPLATES   seeding (default 300 / 6)
 *   PLAYGROUND_SMOKE=1      start everything, check /healthz, then stop (used to test this script)
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { FakeRingCentral, FAKE } from './lib/fake';
import { N8n, PACKAGE_NAME } from './lib/n8n';
import { findRepo, pointAtCredentials, type WorkflowFile } from './lib/repo';
import {
	E2EFailure,
	killAllChildren,
	log,
	run,
	startBackground,
	tail,
	type Background,
} from './lib/process';

const OWNER = {
	email: 'playground@example.com',
	password: 'Playground-1234',
	firstName: 'Play',
	lastName: 'Ground',
};
const ACCESS_TOKEN_CREDENTIAL = {
	id: 'rcPlaygroundTok1',
	name: 'RingCentral playground (access token)',
};
const JWT_CREDENTIAL = { id: 'rcPlaygroundJwt1', name: 'RingCentral playground (JWT)' };

function env(name: string, fallback: string): string {
	const value = process.env[name];
	return value === undefined || value === '' ? fallback : value;
}

async function npm(args: string[], cwd: string, what: string): Promise<string> {
	const result = await run('npm', args, { cwd, timeoutMs: 300_000 });
	if (result.code !== 0) throw new E2EFailure(`${what} failed`, tail(result.all, 40));
	return result.stdout;
}

/** Example workflows, with our nodes pointed at the playground credentials. */
function examples(repo: string): unknown[] {
	const dir = join(repo, 'examples');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const workflow = JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkflowFile;
			// n8n 2.41's import:workflow needs an id (it no longer generates one for a single file).
			workflow.id ??= `ex${createHash('sha1').update(file).digest('hex').slice(0, 14)}`;
			pointAtCredentials(workflow, { accessToken: ACCESS_TOKEN_CREDENTIAL, jwt: JWT_CREDENTIAL });
			return workflow;
		});
}

async function waitForHealth(
	url: string,
	n8nProcess: Background,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (n8nProcess.child.exitCode !== null)
			throw new E2EFailure('n8n start exited', tail(n8nProcess.output(), 60));
		try {
			const response = await fetch(`${url}/healthz/readiness`);
			if (response.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((done) => setTimeout(done, 1000));
	}
	throw new E2EFailure(
		`n8n was not ready (${url}/healthz/readiness) within ${timeoutMs / 1000} s`,
		tail(n8nProcess.output(), 60),
	);
}

/** Signs in as the owner and checks that the editor knows the node type and sees the credentials. */
async function smokeTest(url: string): Promise<void> {
	const health = await fetch(`${url}/healthz`);
	log(`smoke test: GET /healthz -> ${health.status} ${await health.text()}`);
	if (!health.ok) throw new E2EFailure('n8n /healthz is not OK');
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!login.ok)
		throw new E2EFailure(
			`smoke test: signing in as ${OWNER.email} failed (${login.status})`,
			await login.text(),
		);
	const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
	const types = await fetch(`${url}/types/nodes.json`, { headers: { cookie } });
	const body = await types.text();
	if (!body.includes(`"${PACKAGE_NAME}.ringCentralExtensions"`)) {
		throw new E2EFailure(
			`n8n could not load the package: the editor's node types (${types.status}) do not include ${PACKAGE_NAME}.ringCentralExtensions`,
		);
	}
	log(
		`smoke test: the editor lists ${PACKAGE_NAME}.ringCentralExtensions${body.includes('ringCentralExtensionsTool') ? ' (and its AI-tool variant)' : ''}`,
	);
	const credentials = await fetch(`${url}/rest/credentials`, { headers: { cookie } });
	const list = await credentials.text();
	if (!list.includes(ACCESS_TOKEN_CREDENTIAL.id))
		throw new E2EFailure(
			'smoke test: the playground credential is not visible to the owner',
			list.slice(0, 500),
		);
	log('smoke test: the owner sees the playground credentials');
}

async function main(): Promise<void> {
	const repo = findRepo();
	const node24 = process.env.NODE24_BIN;
	const n8nBin = process.env.N8N_BIN;
	if (!node24 || !n8nBin)
		throw new E2EFailure(
			'NODE24_BIN and N8N_BIN must be set: start this through scripts/e2e/playground.sh',
		);
	const smoke = process.env.PLAYGROUND_SMOKE === '1';
	const userFolder = resolve(env('PLAYGROUND_DIR', join(repo, '.e2e', 'playground')));
	const editorPort = Number(env('N8N_PORT', '5678'));
	const fakePort = Number(env('FAKE_RC_PORT', '5680'));
	if (process.env.PLAYGROUND_FRESH === '1') rmSync(userFolder, { recursive: true, force: true });
	const fresh = !existsSync(join(userFolder, '.n8n', 'database.sqlite'));

	let fake: FakeRingCentral | undefined;
	let editor: Background | undefined;
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping n8n and the fake RingCentral');
		await editor?.stop().catch(() => undefined);
		await fake?.stop().catch(() => undefined);
		killAllChildren();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		// Owner account from the environment (n8n 2.x N8N_INSTANCE_OWNER_*): no setup screen.
		const requireFromN8n = createRequire(n8nBin);
		const bcrypt = requireFromN8n('bcryptjs') as {
			hashSync(password: string, rounds: number): string;
		};
		const n8n = new N8n(
			{ node: node24, bin: n8nBin, userFolder },
			{
				N8N_PORT: String(editorPort),
				N8N_HOST: 'localhost',
				N8N_PROTOCOL: 'http',
				N8N_EDITOR_BASE_URL: `http://localhost:${editorPort}`,
				N8N_SECURE_COOKIE: 'false',
				N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
				N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
				N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
				N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
				N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(OWNER.password, 10),
				N8N_LOG_LEVEL: env('N8N_LOG_LEVEL', 'info'),
				// n8n's task broker; another port lets a second playground run (the screenshot script's).
				N8N_RUNNERS_BROKER_PORT: env('N8N_RUNNERS_BROKER_PORT', '5679'),
			},
		);

		log(`packing ${PACKAGE_NAME} and installing it into ${n8n.nodesFolder}`);
		const packDir = join(userFolder, 'pack');
		rmSync(packDir, { recursive: true, force: true });
		mkdirSync(packDir, { recursive: true });
		const out = await npm(
			['pack', '--json', '--ignore-scripts', '--pack-destination', packDir],
			repo,
			'npm pack',
		);
		const [info] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
		mkdirSync(n8n.nodesFolder, { recursive: true });
		rmSync(join(n8n.nodesFolder, 'node_modules', PACKAGE_NAME), { recursive: true, force: true });
		writeFileSync(
			join(n8n.nodesFolder, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
		await npm(
			[
				'install',
				join(packDir, info.filename),
				'--ignore-scripts',
				'--omit=peer',
				'--omit=dev',
				'--no-audit',
				'--no-fund',
				'--no-package-lock',
				'--prefer-offline',
			],
			n8n.nodesFolder,
			'installing the package',
		);

		log(`starting the fake RingCentral on port ${fakePort}`);
		fake = await FakeRingCentral.start({
			cliPath: join(repo, '.e2e', 'build', 'test', 'fake-server', 'cli.js'),
			args: [
				`--port=${fakePort}`,
				`--seed-extensions=${env('FAKE_RC_SEED_EXTENSIONS', '300')}`,
				`--seed-templates=${env('FAKE_RC_SEED_TEMPLATES', '6')}`,
				'--task-complete-after-ms=3000',
			],
		});

		log('importing the playground credentials (access token and JWT, both against the fake)');
		await n8n.importCredentials(
			[
				{
					...ACCESS_TOKEN_CREDENTIAL,
					type: 'ringCentralAccessTokenApi',
					data: { environment: 'custom', serverUrl: fake.url, accessToken: FAKE.accessToken },
				},
				{
					...JWT_CREDENTIAL,
					type: 'ringCentralJwtApi',
					data: {
						environment: 'custom',
						serverUrl: fake.url,
						clientId: FAKE.clientId,
						clientSecret: FAKE.clientSecret,
						jwt: FAKE.jwt,
					},
				},
			],
			userFolder,
		);
		const workflows = fresh ? examples(repo) : [];
		if (workflows.length) await n8n.importWorkflows(workflows, userFolder);
		else if (!fresh)
			log('examples were imported on the first start (PLAYGROUND_FRESH=1 starts over)');
		else log('no examples/*.json to import');

		const url = `http://localhost:${editorPort}`;
		log(`starting n8n on ${url} (about 20-40 s)`);
		const started = await startBackground(
			n8n.paths.node,
			[n8n.paths.bin, 'start'],
			(line) => (/Editor is now accessible/i.test(line) ? true : undefined),
			{
				env: n8n.env,
				cwd: userFolder,
				timeoutMs: 180_000,
				echoPrefix: process.env.PLAYGROUND_QUIET === '1' ? undefined : '  [n8n] ',
			},
		);
		editor = started.background;
		await waitForHealth(url, editor, 60_000);

		process.stderr.write(
			[
				'',
				'  ┌────────────────────────────────────────────────────────────────────',
				`  │ n8n editor:      ${url}`,
				`  │ sign in:         ${OWNER.email} / ${OWNER.password}`,
				`  │ fake RingCentral: ${fake.url} (${env('FAKE_RC_SEED_EXTENSIONS', '300')} extensions, ${env('FAKE_RC_SEED_TEMPLATES', '6')} templates)`,
				`  │ credentials:     "${ACCESS_TOKEN_CREDENTIAL.name}", "${JWT_CREDENTIAL.name}"`,
				'  │ try:             open "RingCentral: onboard new hires", Execute workflow (Preview Only is on)',
				`  │ trigger event:   curl -X POST ${fake.url}/__admin/emit-event -H 'content-type: application/json' -d '{"eventType":"Create","extensionId":"100002"}'`,
				`  │ request log:     curl ${fake.url}/__admin/requests`,
				'  │ more:            docs/playground.md',
				`  │ data folder:     ${userFolder}`,
				'  │ Ctrl-C stops n8n and the fake.',
				'  └────────────────────────────────────────────────────────────────────',
				'',
			].join('\n'),
		);

		if (smoke) {
			await smokeTest(url);
			await stop(0);
			return;
		}
		await new Promise<never>(() => undefined); // until Ctrl-C
	} catch (error) {
		process.stderr.write(
			`playground failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		if (error instanceof E2EFailure && error.details) process.stderr.write(`${error.details}\n`);
		await stop(1);
	}
}

void main();
