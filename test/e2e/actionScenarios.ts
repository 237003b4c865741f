import { FAKE } from './lib/fake';
import { check, succeeded, lastLines, api, describeRequests, json } from './lib/checks';
import { log } from './lib/process';
import type { Scenario } from './scenarios';

/** The action node's operations in a real n8n: lists, creates, bulk updates, templates, an API error. */
export const actionScenarios: Scenario[] = [
	{
		name: 'list-all',
		workflows: ['e2eListAllExt001'],
		async run({ execute, fake }) {
			const expected = await fake.listAll<{ id: number }>('/restapi/v1.0/account/~/extension');
			const { execution, requests } = await execute('e2eListAllExt001');
			succeeded(execution, 'list all extensions');
			const items = execution.items('List all extensions');
			check(
				items.length === expected.length,
				`list all extensions: n8n returned ${items.length} items, the fake holds ${expected.length} extensions`,
			);
			const ids = new Set(items.map((item) => json(item).id));
			check(
				ids.size === items.length,
				`list all extensions: ${items.length - ids.size} duplicate extension(s) in the output`,
			);
			check(
				expected.every((record) => ids.has(record.id)),
				'list all extensions: some extension ids are missing from the output',
			);
			const lists = api(requests, 'listExtensions');
			check(
				lists.length >= 1,
				'list all extensions: no listExtensions request reached the fake',
				describeRequests(requests),
			);
			check(
				lists.every((request) => request.status === 200),
				'list all extensions: a page request failed',
				describeRequests(lists),
			);
			if (expected.length > 1000) {
				check(
					lists.length >= Math.ceil(expected.length / 1000),
					`list all extensions: ${expected.length} extensions need several pages (at most 1000 a page), the node sent ${lists.length} request(s)`,
					describeRequests(lists),
				);
			}
			log(`  ${items.length} extensions in ${lists.length} page request(s)`);
		},
	},
	{
		name: 'create',
		workflows: ['e2eCreateExt0001'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eCreateExt0001');
			succeeded(execution, 'create extensions from items');
			const items = execution.items('Create extension');
			check(
				items.length === 2,
				`create: expected 2 created extensions, got ${items.length}`,
				items,
			);
			const creates = api(requests, 'createExtension');
			check(
				creates.length === 2,
				`create: expected 2 createExtension requests, saw ${creates.length}`,
				describeRequests(requests),
			);
			const bodies = creates.map(
				(request) => request.body as { contact?: Record<string, unknown>; type?: string },
			);
			const expectations = [
				{ firstName: 'Ada', lastName: 'Lovelace', department: 'Engineering', jobTitle: 'E2E Ada' },
				{ firstName: 'Grace', lastName: 'Hopper', department: 'Navy', jobTitle: 'E2E Grace' },
			];
			expectations.forEach((expected, index) => {
				const contact = bodies[index]?.contact ?? {};
				for (const [key, value] of Object.entries(expected)) {
					check(
						contact[key] === value,
						`create: request ${index + 1} sent contact.${key}=${String(contact[key])}, expected ${value}`,
						bodies[index],
					);
				}
				check(
					typeof contact.email === 'string' && contact.email.endsWith('@e2e.example.com'),
					`create: request ${index + 1} has no e-mail from the Code node`,
					bodies[index],
				);
				const created = json(items[index]);
				check(
					created.id !== undefined,
					`create: output item ${index + 1} has no extension id`,
					created,
				);
				check(
					(created.contact as Record<string, unknown> | undefined)?.email === contact.email,
					`create: output item ${index + 1} is not the extension created from input item ${index + 1}`,
					created,
				);
			});
			log(`  created extensions ${items.map((item) => String(json(item).id)).join(', ')}`);
		},
	},
	{
		name: 'bulk-update',
		workflows: ['e2eBulkUpdate001'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eBulkUpdate001');
			succeeded(execution, 'bulk update with waiting');
			const listed = execution.items('First three extensions');
			check(listed.length === 3, `bulk update: expected 3 listed extensions, got ${listed.length}`);
			const tasks = execution.items('Bulk update');
			check(tasks.length === 1, `bulk update: expected 1 task item, got ${tasks.length}`, tasks);
			const task = json(tasks[0]);
			check(
				task.status === 'Completed',
				`bulk update: the task ended ${String(task.status)}, expected Completed`,
				task,
			);
			const posts = api(requests, 'extensionBulkUpdate');
			check(
				posts.length === 1,
				`bulk update: expected 1 bulk-update POST, saw ${posts.length}`,
				describeRequests(requests),
			);
			const body = posts[0].body as { records?: Array<Record<string, unknown>> };
			const records = body.records ?? [];
			check(
				records.length === 3,
				`bulk update: the POST carried ${records.length} records, expected 3`,
				body,
			);
			check(
				records.every((record) => typeof record.id === 'string'),
				'bulk update: record ids must be sent as strings',
				body,
			);
			check(
				records.every(
					(record) =>
						(record.contact as Record<string, unknown> | undefined)?.department ===
						'E2E Department',
				),
				'bulk update: the edited department did not reach the API',
				body,
			);
			const expectedIds = listed.map((item) => String(json(item).id)).sort();
			const sentIds = records.map((record) => String(record.id)).sort();
			check(
				JSON.stringify(expectedIds) === JSON.stringify(sentIds),
				`bulk update: sent ids ${sentIds.join(',')} but listed ${expectedIds.join(',')}`,
			);
			const polls = api(requests, 'getExtensionBulkUpdateTask');
			check(
				polls.length >= 1,
				'bulk update: the node did not poll the task',
				describeRequests(requests),
			);
			log(`  task ${String(task.id)} Completed after ${polls.length} poll(s)`);
		},
	},
	{
		name: 'template',
		workflows: ['e2eReadTemplate1'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eReadTemplate1');
			succeeded(execution, 'read a template');
			const first = json(execution.items('First template')[0]);
			check(
				first.id !== undefined,
				'template: the template list was empty (is the fake seeded with templates?)',
			);
			const got = execution.items('Get template');
			check(got.length === 1, `template: expected 1 template, got ${got.length}`, got);
			check(
				String(json(got[0]).id) === String(first.id),
				'template: got a different template than asked for',
				got,
			);
			const reads = api(requests, 'readUserTemplate');
			check(
				reads.length === 1 &&
					reads[0].path.endsWith(`/templates/${encodeURIComponent(String(first.id))}`),
				'template: expected one GET of that template',
				describeRequests(requests),
			);
			log(`  template ${String(first.id)} (${String(json(got[0]).name ?? '')})`);
		},
	},
	{
		name: 'api-error',
		workflows: ['e2eApiError00001'],
		async run({ execute }) {
			const { execution, requests } = await execute('e2eApiError00001');
			check(
				!execution.ok,
				'API error: the execution succeeded, but template 999999999 does not exist',
				execution.items('Get missing template'),
			);
			check(
				execution.exitCode !== 0,
				`API error: n8n execute exited ${execution.exitCode} for a failed execution`,
			);
			const error = execution.error();
			check(
				error !== undefined,
				'API error: n8n printed no execution error',
				lastLines(execution.output, 40),
			);
			const errorText = JSON.stringify(error);
			check(
				errorText.includes('CMN-102'),
				"API error: the error does not show RingCentral's errorCode CMN-102",
				error,
			);
			check(/404/.test(errorText), 'API error: the error does not show HTTP 404', error);
			check(
				execution.output.includes('CMN-102'),
				"API error: n8n's output does not mention CMN-102",
				lastLines(execution.output, 40),
			);
			for (const secret of [FAKE.accessToken, FAKE.clientSecret]) {
				check(
					!execution.output.includes(secret),
					`API error: n8n's output leaks a secret (${secret.slice(0, 6)}...)`,
				);
			}
			const reads = api(requests, 'readUserTemplate');
			check(
				reads.length === 1 && reads[0].status === 404,
				'API error: expected one GET answered 404',
				describeRequests(requests),
			);
			log(`  failed as expected: ${String(error.message)}`);
		},
	},
];
