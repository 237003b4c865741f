import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

const started = Date.now();
let logPrefix = 'e2e';

/** The runner's name in front of every log line (default e2e). */
export function setLogPrefix(prefix: string): void {
	logPrefix = prefix;
}

export function log(message: string): void {
	const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
	process.stderr.write(`[${logPrefix} +${seconds}s] ${message}\n`);
}

/** A failure with a message meant for the person reading the CI log. */
export class E2EFailure extends Error {
	constructor(
		message: string,
		readonly details?: string,
	) {
		super(message);
		this.name = 'E2EFailure';
	}
}

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	/** stdout and stderr interleaved as they arrived. */
	all: string;
	ms: number;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	timeoutMs?: number;
	/** Echo each output line to our stderr with this prefix (live progress). */
	echoPrefix?: string;
}

const children = new Set<ChildProcess>();

/** Kills a child's whole process group (n8n starts task runners as its own children). */
export function killTree(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// already gone
		}
	}
}

export function killAllChildren(): void {
	for (const child of children) killTree(child, 'SIGKILL');
	children.clear();
}

/** Runs a command to completion, capturing its output; never rejects on a non-zero exit. */
export function run(command: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
	const t0 = Date.now();
	return new Promise((resolve, reject) => {
		const spawnOptions: SpawnOptions = {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group, so a timeout can kill grandchildren too
		};
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test tooling: starts npm and n8n, never shipped
		const child = spawn(command, args, spawnOptions);
		children.add(child);
		let stdout = '';
		let stderr = '';
		let all = '';
		const echo = (chunk: string) => {
			if (options.echoPrefix === undefined) return;
			for (const line of chunk.split('\n'))
				if (line.trim()) process.stderr.write(`${options.echoPrefix}${line}\n`);
		};
		child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			all += chunk;
			echo(chunk);
		});
		child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
			stderr += chunk;
			all += chunk;
			echo(chunk);
		});
		let timedOut = false;
		const timer =
			options.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						timedOut = true;
						killTree(child, 'SIGKILL');
					}, options.timeoutMs);
		child.on('error', (error) => {
			if (timer) clearTimeout(timer);
			children.delete(child);
			reject(new E2EFailure(`could not start ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			if (timer) clearTimeout(timer);
			children.delete(child);
			if (timedOut) {
				reject(
					new E2EFailure(
						`${[command, ...args].join(' ')} did not finish within ${options.timeoutMs} ms`,
						tail(all, 60),
					),
				);
				return;
			}
			resolve({ code, signal, stdout, stderr, all, ms: Date.now() - t0 });
		});
	});
}

export interface Background {
	child: ChildProcess;
	/** Everything it printed so far. */
	output(): string;
	stop(): Promise<void>;
}

/**
 * Starts a long-running process and resolves once `ready(line)` returns a value for one of
 * its output lines (or rejects when it exits first or the timeout passes).
 */
export function startBackground<T>(
	command: string,
	args: string[],
	ready: (line: string) => T | undefined,
	options: RunOptions & { timeoutMs: number },
): Promise<{ background: Background; value: T }> {
	return new Promise((resolve, reject) => {
		// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test tooling: starts n8n and the fake server
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env ?? process.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		children.add(child);
		let output = '';
		let settled = false;
		const background: Background = {
			child,
			output: () => output,
			stop: () =>
				new Promise<void>((done) => {
					if (child.exitCode !== null || child.signalCode !== null) {
						done();
						return;
					}
					const force = setTimeout(() => killTree(child, 'SIGKILL'), 10_000);
					child.once('close', () => {
						clearTimeout(force);
						children.delete(child);
						done();
					});
					killTree(child, 'SIGTERM');
				}),
		};
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			killTree(child, 'SIGKILL');
			reject(
				new E2EFailure(
					`${command} ${args.join(' ')} was not ready within ${options.timeoutMs} ms`,
					tail(output, 60),
				),
			);
		}, options.timeoutMs);
		const onLine = (line: string) => {
			output += line + '\n';
			if (options.echoPrefix !== undefined && line.trim())
				process.stderr.write(`${options.echoPrefix}${line}\n`);
			if (settled) return;
			let value: T | undefined;
			try {
				value = ready(line);
			} catch {
				value = undefined;
			}
			if (value !== undefined) {
				settled = true;
				clearTimeout(timer);
				resolve({ background, value });
			}
		};
		if (child.stdout) createInterface({ input: child.stdout }).on('line', onLine);
		if (child.stderr) createInterface({ input: child.stderr }).on('line', onLine);
		child.on('error', (error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(new E2EFailure(`could not start ${command}: ${error.message}`));
		});
		child.on('close', (code, signal) => {
			children.delete(child);
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(
				new E2EFailure(
					`${command} ${args.join(' ')} exited (code ${code}, signal ${signal}) before it was ready`,
					tail(output, 60),
				),
			);
		});
	});
}

export function tail(text: string, lines: number): string {
	const all = text.trimEnd().split('\n');
	return all.slice(-lines).join('\n');
}
