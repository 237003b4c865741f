// Takes the pictures in docs/images/ from a running playground, in headless Chromium.
// Run through scripts/screenshots/run.sh, which starts a fresh playground for it.
//
//   N8N_URL      the playground's n8n (default http://localhost:5678)
//   FAKE_RC_URL  its fake RingCentral (default http://127.0.0.1:5680)
//   OUT_DIR      where the PNGs go (default docs/images)
//   CHROMIUM     the browser (default /usr/bin/chromium, Debian's package)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium, selectors } from 'playwright-core';

const N8N_URL = process.env.N8N_URL || 'http://localhost:5678';
const FAKE_RC_URL = process.env.FAKE_RC_URL || 'http://127.0.0.1:5680';
const OUT_DIR = process.env.OUT_DIR || join(import.meta.dirname, '..', '..', 'docs', 'images');
const OWNER = { emailOrLdapLoginId: 'playground@example.com', password: 'Playground-1234' };
const PACKAGE = 'n8n-nodes-ringcentral-extensions';
const VIEWPORT = { width: 1280, height: 760 };

// n8n marks its elements with data-test-id.
selectors.setTestIdAttribute('data-test-id');

function say(message) {
	process.stderr.write(`[screenshots] ${message}\n`);
}

function fail(message) {
	throw new Error(message);
}

/** The description n8n's nodes panel shows for the action node: read from the loaded types. */
async function panelDescription(request) {
	const types = await (await request.get(`${N8N_URL}/types/nodes.json`)).json();
	const byName = Object.fromEntries(types.map((type) => [type.name, type]));
	const action = byName[`${PACKAGE}.ringCentralExtensions`];
	const trigger = byName[`${PACKAGE}.ringCentralExtensionsTrigger`];
	if (!action || !trigger) fail('n8n has not loaded both node types');
	// n8n 2.41's node creator shows the two as one entry, under the trigger's description.
	return trigger.description;
}

async function workflowId(request, namePart) {
	const { data } = await (await request.get(`${N8N_URL}/rest/workflows`)).json();
	const workflow = data.find((candidate) => candidate.name.includes(namePart));
	if (!workflow) fail(`no workflow named like "${namePart}": start the playground fresh`);
	return workflow.id;
}

async function shoot(target, file, options = {}) {
	const page = 'mouse' in target ? target : target.page();
	// No toasts ("Workflow executed successfully") and no tooltips over the picture.
	await page.mouse.move(0, 0);
	await page
		.locator('.el-notification, .el-popper')
		.evaluateAll((elements) => elements.forEach((element) => element.remove()));
	await page.waitForTimeout(300);
	const path = join(OUT_DIR, file);
	await target.screenshot({ path, animations: 'disabled', caret: 'hide', ...options });
	say(`wrote ${path}`);
}

async function openNode(page, name) {
	await page.getByTestId('canvas-node').filter({ hasText: name }).dblclick();
	await page.getByTestId('ndv').waitFor();
}

/** The nodes panel, searched for the package: one entry for both nodes, and its actions. */
async function nodesPanel(page, request) {
	const description = await panelDescription(request);
	if (!/bulk-update/.test(description) || !/start a workflow/.test(description))
		fail(`the nodes panel would describe the node as: ${description}`);
	await page.goto(`${N8N_URL}/workflow/new`);
	await page.getByTestId('node-creator-plus-button').click();
	await page.keyboard.type('RingCentral Extensions');
	const entry = page.getByTestId('node-creator-item-name').filter({ hasText: 'RingCentral' });
	await entry.first().waitFor();
	const shown = await page.getByTestId('node-creator').innerText();
	if (!shown.includes(description.slice(0, 40)))
		fail(`the nodes panel does not show the description: ${shown}`);
	const box = await page.getByTestId('node-creator').boundingBox();
	await shoot(page, 'nodes-panel.png', {
		clip: { x: box.x, y: box.y, width: box.width, height: 300 },
	});
}

/** The onboarding example as imported (Preview Only on), run: the node's panel and its output. */
async function previewRun(page, request) {
	await page.goto(`${N8N_URL}/workflow/${await workflowId(request, 'onboard new hires')}`);
	await page.getByTestId('execute-workflow-button').click();
	await page.getByTestId('canvas-node-status-success').nth(3).waitFor({ timeout: 60_000 });
	await openNode(page, 'Create or update users');
	await page.getByTestId('parameter-input-dryRun').scrollIntoViewIfNeeded();
	await page.getByTestId('output-panel').getByTestId('radio-button-table').click();
	await page.waitForTimeout(500);
	await shoot(page, 'node-panel.png');
	await page.getByTestId('output-panel').getByTestId('radio-button-json').click();
	await shoot(page.getByTestId('output-panel'), 'preview-output.png');
}

/** The JWT credential of the playground, open in n8n's credential form. */
async function credentialForm(page) {
	// Tall enough for every field of the form.
	await page.setViewportSize({ width: 1280, height: 1000 });
	await page.goto(`${N8N_URL}/home/credentials/rcPlaygroundJwt1`);
	await page.getByTestId('credential-edit-dialog').waitFor();
	await page.getByText('Connection tested successfully').waitFor();
	const box = await page.locator('.el-dialog').filter({ hasText: 'Client Secret' }).boundingBox();
	await shoot(page, 'credential-form.png', { clip: box });
	await page.setViewportSize(VIEWPORT);
}

/** The trigger example listening for a test event; the fake says an extension was created. */
async function triggerPanel(page, request) {
	await page.goto(`${N8N_URL}/workflow/${await workflowId(request, 'laptop ticket')}`);
	await openNode(page, 'New extension');
	await page.getByTestId('node-execute-button').click();
	// The trigger subscribes at the fake (after its validation request to n8n): then fire.
	const deadline = Date.now() + 30_000;
	for (;;) {
		const subscriptions = await (await request.get(`${FAKE_RC_URL}/__admin/subscriptions`)).json();
		if (subscriptions.length > 0) break;
		if (Date.now() > deadline) fail('the trigger did not subscribe at the fake within 30 s');
		await page.waitForTimeout(500);
	}
	const fired = await request.post(`${FAKE_RC_URL}/__admin/emit-event`, {
		data: { eventType: 'Create', extensionId: '100002' },
	});
	if (!fired.ok()) fail(`emit-event answered ${fired.status()}`);
	await page.getByTestId('output-panel').getByTestId('node-run-status-success').waitFor();
	await page.getByTestId('output-panel').getByTestId('radio-button-json').click();
	await page.waitForTimeout(500);
	await shoot(page, 'trigger-panel.png');
}

async function main() {
	mkdirSync(OUT_DIR, { recursive: true });
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		// Without the background-networking flags Chromium keeps dialling out of this closed network.
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	try {
		const context = await browser.newContext({ viewport: VIEWPORT });
		const signIn = await context.request.post(`${N8N_URL}/rest/login`, { data: OWNER });
		if (!signIn.ok()) fail(`signing in to ${N8N_URL} failed (${signIn.status()})`);
		const page = await context.newPage();
		const request = context.request;
		await nodesPanel(page, request);
		await previewRun(page, request);
		await credentialForm(page);
		await triggerPanel(page, request);
	} finally {
		await browser.close();
	}
}

await main();
