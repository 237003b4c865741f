/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- this test runs ESLint in a child process; tests are never shipped */
// The import layering (docs/architecture.md) is kept by `import-x/no-restricted-paths` zones in
// eslint.config.mjs. These lint deliberately wrong imports, as if written in real files, through
// ESLint's Node API with the project's own config. It runs in a child process because the config
// is an ES module, which jest's module system cannot load.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

interface Sample {
	file: string;
	code: string;
}

const LINT_SAMPLES = `
const { ESLint } = require('eslint');
const path = require('node:path');
(async () => {
	const samples = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
	const eslint = new ESLint({ cwd: process.cwd() });
	const out = [];
	for (const { file, code } of samples) {
		const [result] = await eslint.lintText(code, { filePath: path.join(process.cwd(), file) });
		out.push(result.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths' || m.ruleId === 'no-restricted-syntax').map((m) => m.message));
	}
	process.stdout.write(JSON.stringify(out));
})();
`;

/** The layering errors ESLint reports for each sample, linted as if it were that file. */
function layerErrors(samples: Sample[]): string[][] {
	const output = execFileSync(process.execPath, ['-e', LINT_SAMPLES], {
		cwd: ROOT,
		input: JSON.stringify(samples),
		encoding: 'utf8',
	});
	return JSON.parse(output) as string[][];
}

const cases: Array<{ name: string; file: string; code: string; error: string }> = [
	{
		name: 'a helper importing an operation',
		file: 'nodes/shared/helpers/wrong.ts',
		code: "export * from '../../RingCentralExtensions/actions/extension/create.operation';\n",
		error: 'Helpers are leaves',
	},
	{
		name: 'a helper importing the transport',
		file: 'nodes/shared/helpers/wrong.ts',
		code: "export { ringCentralApiRequest } from '../transport';\n",
		error: 'Helpers are leaves',
	},
	{
		name: 'the transport importing an operation',
		file: 'nodes/shared/transport/wrong.ts',
		code: "export * from '../../RingCentralExtensions/actions/bulkUpdateTask/get.operation';\n",
		error: 'The transport must not import operations',
	},
	{
		name: "a node's helper importing an operation",
		file: 'nodes/RingCentralExtensions/helpers/wrong.ts',
		code: "export * from '../actions/extension/create.operation';\n",
		error: "A node's helpers import no actions",
	},
	{
		name: "a node's helper importing an action's description",
		file: 'nodes/RingCentralExtensions/helpers/provisioning/wrong.ts',
		code: "export * from '../../actions/common.descriptions';\n",
		error: "A node's helpers import no actions",
	},
	{
		name: 'an operation importing another operation',
		file: 'nodes/RingCentralExtensions/actions/extension/wrong.operation.ts',
		code: "export * from './create.operation';\n",
		error: 'An operation imports no other operation',
	},
	{
		name: "an operation reaching into another resource's folder",
		file: 'nodes/RingCentralExtensions/actions/extension/wrong.operation.ts',
		code: "export * from '../bulkUpdateTask';\n",
		error: "imports nothing from another resource's folder",
	},
	{
		name: 'an operation importing a credential',
		file: 'nodes/RingCentralExtensions/actions/extension/wrong.operation.ts',
		code: "export * from '../../../../credentials/RingCentralJwtApi.credentials';\n",
		error: 'Operations must not import credentials',
	},
	{
		name: "a trigger importing another node's folder",
		file: 'nodes/RingCentralExtensionsWebSocketTrigger/wrong.ts',
		code: "export * from '../RingCentralExtensionsTrigger/subscription';\n",
		error: "imports nothing from another node's folder",
	},
	{
		name: 'shared code importing a node folder',
		file: 'nodes/shared/wrong.ts',
		code: "export * from '../RingCentralExtensions/description';\n",
		error: 'it must not import a node folder',
	},
	{
		name: 'a credential importing the transport',
		file: 'credentials/Wrong.credentials.ts',
		code: "export * from '../nodes/shared/transport';\n",
		error: 'Credentials import nodes/shared/server.ts and the transport',
	},
	{
		name: 'a credential importing the rate limiter (the token exchange paces itself in the transport)',
		file: 'credentials/Paced.credentials.ts',
		code: "export * from '../nodes/shared/transport/rateLimiter';\n",
		error: 'Credentials import nodes/shared/server.ts and the transport',
	},
	{
		name: 'a credential sending its own HTTP request',
		file: 'credentials/Direct.credentials.ts',
		code: 'export const send = (helper: { helpers: { httpRequest(o: object): unknown } }) => helper.helpers.httpRequest({});\n',
		error: 'HTTP requests go through the transport',
	},
	{
		name: 'an operation calling fetch',
		file: 'nodes/RingCentralExtensions/actions/extension/direct.operation.ts',
		code: "export const send = () => fetch('http://example.com');\n",
		error: 'HTTP requests go through the transport',
	},
];

const right: Sample[] = [
	{
		file: 'nodes/RingCentralExtensions/actions/extension/right.operation.ts',
		code: [
			"export * from '../../../shared/transport';",
			"export * from '../../../shared/helpers/parameters';",
			"export * from '../../helpers/tasks/tasks';",
			"export * from '../common.descriptions';",
			"export * from './descriptions';",
			'',
		].join('\n'),
	},
	{
		file: 'nodes/RingCentralExtensions/helpers/provisioning/right.ts',
		code: [
			"export * from '../../../shared/transport';",
			"export * from '../matching/keys';",
			"export * from '../tasks/tasks';",
			'',
		].join('\n'),
	},
	{ file: 'credentials/Right.credentials.ts', code: "export * from '../nodes/shared/server';\n" },
	{
		file: 'credentials/Token.credentials.ts',
		code: "export * from '../nodes/shared/transport/auth';\n",
	},
	{ file: 'nodes/shared/transport/right.ts', code: "export * from '../helpers/parameters';\n" },
];

const results = layerErrors([...cases, ...right]);

test.each(cases.map((sample, index) => ({ ...sample, errors: results[index] })))(
	'the lint refuses $name',
	({ errors, error }) => {
		expect(errors).toEqual(expect.arrayContaining([expect.stringContaining(error)]));
	},
);

test('the lint accepts imports that go downward', () => {
	expect(results.slice(cases.length)).toEqual(right.map(() => []));
});
