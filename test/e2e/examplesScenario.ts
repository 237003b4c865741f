import { check, succeeded, describeRequests, apiCalls } from './lib/checks';
import { log } from './lib/process';
import type { Scenario } from './scenarios';

/** Every examples/*.json workflow runs against the fake without a failed request. */
export const examplesScenario: Scenario = {
	name: 'examples',
	workflows: [],
	async run({ execute, examples }) {
		if (examples.length === 0) {
			log('  no examples/*.json: nothing to run');
			return;
		}
		for (const example of examples) {
			const { execution, requests } = await execute(example.id);
			succeeded(execution, `example ${example.file}`);
			const counts = example.ringCentralNodes.map(
				(node) => `${node}: ${execution.items(node).length}`,
			);
			const failed = requests.filter((request) => request.status >= 400);
			check(
				failed.length === 0,
				`example ${example.file}: API requests failed`,
				describeRequests(failed),
			);
			check(
				requests.length > 0,
				`example ${example.file}: no request reached the fake RingCentral`,
			);
			log(`  ${example.file}: ${counts.join(', ')} (${requests.length} API request(s))`);
			if (example.file.startsWith('onboard')) {
				// The nightly sync opens in preview: the sample hires would be created, every other
				// user in scope disabled, and nothing is written (leavers.e2e.ts runs it for real).
				const node = example.ringCentralNodes[0];
				const actions = execution.items(node).map((item) => String(item.json.action));
				const writes = apiCalls(requests).filter((request) => request.method !== 'GET');
				check(
					writes.length === 0 &&
						actions.slice(0, 4).every((action) => action === 'created') &&
						actions.length > 4 &&
						actions.slice(4).every((action) => action === 'disabled'),
					`example ${example.file}: expected a preview of 4 creates and the leavers' disables, without a write`,
					{ actions: actions.slice(0, 8), writes: describeRequests(writes) },
				);
				log(`  ${example.file}: preview of ${actions.length - 4} disables, no write`);
			}
		}
	},
};
