// The README as a landing page and docs/ as the one home of everything else: every link and
// anchor lands, the README stays short and copies nothing from docs/, and the words match what
// n8n 2.41 shows and what the examples do.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

import { headingAnchors } from './support/markdown';

const ROOT = join(__dirname, '..');
const DOCS = readdirSync(join(ROOT, 'docs'))
	.filter((file) => file.endsWith('.md'))
	.map((file) => `docs/${file}`);
const PAGES = ['README.md', ...DOCS];
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

function read(path: string): string {
	return readFileSync(join(ROOT, path), 'utf8');
}

/** Markdown outside code fences and inline code, where a link is a link. */
function prose(markdown: string): string {
	return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Every link target of a page: `[text](target)` and `![alt](target)`, web links left out. */
function links(markdown: string): string[] {
	return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)]
		.map((match) => match[1])
		.filter((target) => !/^[a-z]+:/i.test(target));
}

describe.each(PAGES)('%s', (page) => {
	const markdown = read(page);

	test('every relative link lands on a file of the repository, and every #anchor on a heading', () => {
		const targets = links(markdown);
		for (const target of targets) {
			const [path, anchor] = target.split('#');
			const file = path === '' ? page : normalize(join(dirname(page), path));
			expect({ target, exists: existsSync(join(ROOT, file)) }).toEqual({ target, exists: true });
			if (anchor !== undefined)
				expect({ target, anchors: [...headingAnchors(read(file))] }).toEqual({
					target,
					anchors: expect.arrayContaining([anchor]),
				});
		}
	});

	test('instructions name what n8n 2.41 shows: the Credential dropdown, no Authentication field to set', () => {
		expect(markdown).not.toMatch(/(set|switch|leave|choose|pick)[^.]{0,20}\*\*Authentication\*\*/i);
		expect(markdown).not.toMatch(/\bActivate the workflow/);
	});
});

describe('the README, a landing page', () => {
	test('is at most 300 lines', () => {
		expect(readme.split('\n').length).toBeLessThanOrEqual(300);
	});

	test('opens with what the nodes do and a picture of the node in the editor', () => {
		const [intro] = readme.split('\n## ');
		expect(intro).toMatch(
			/^# n8n-nodes-ringcentral-extensions\n+An \[n8n\]\(https:\/\/n8n\.io\) community node that administers/,
		);
		expect(intro).toContain('](docs/images/node-panel.png)');
	});

	test('then: try it (the playground, a preview first, a trigger event), install, credentials, operations, trigger', () => {
		const sections = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]);
		expect(sections.slice(0, 6)).toEqual([
			'Try it in five minutes',
			'Install',
			'Credentials',
			'Operations',
			'Trigger',
			'Examples',
		]);
		const section = (name: string) => readme.split(`\n## ${name}\n`)[1].split('\n## ')[0];
		const tryIt = section('Try it in five minutes');
		expect(tryIt).toMatch(/git clone https:\/\/github\.com\/[^\n]+\ncd [^\n]+\nnpm start/);
		expect(tryIt).toMatch(/Preview Only is on/);
		expect(tryIt).toContain('__admin/emit-event');
		expect(section('Install')).toContain('Settings → Community Nodes');
		expect(section('Install')).toMatch(
			/npm install \/path\/to\/n8n-nodes-ringcentral-extensions-[\d.]+\.tgz/,
		);
		expect(section('Install')).toMatch(/\*\*Credential\*\*\s+dropdown/);
	});

	test('has one line per operation, and links every page of docs/', () => {
		for (const operation of [
			'Extension · Get Many',
			'Extension · Get ',
			'Extension · Create ',
			'Extension · Create or Update',
			'Extension · Update',
			'Extension · Delete',
			'Extension · Bulk Update',
			'Bulk Update Task · Get',
			'User Template · Get Many',
			'User Template · Get ',
		])
			expect(readme).toMatch(new RegExp(`^\\| ${operation}`, 'm'));
		for (const doc of DOCS) expect(links(readme)).toContain(doc);
	});

	// A sentence of docs/ repeated in the README is an edit to make twice.
	test('copies no paragraph, table row or list item from docs/', () => {
		const docsText = DOCS.map(read).join('\n').replace(/\s+/g, ' ');
		const blocks = readme
			.split(/\n\s*\n|\n(?=[|-] )/)
			.map((block) => block.replace(/\s+/g, ' ').trim())
			.filter((block) => block.length >= 80 && !block.startsWith('```'));
		expect(blocks.length).toBeGreaterThan(10);
		const copied = blocks.filter((block) => docsText.includes(block));
		expect(copied).toEqual([]);
	});
});

describe('docs/', () => {
	test('documents every operation, the trigger and every example', () => {
		const operations = read('docs/operations.md');
		for (const heading of [
			'Extension · Get Many',
			'Extension · Create',
			'Extension · Get, Update, Delete',
			'Extension · Create or Update',
			'Extension · Bulk Update',
			'Bulk Update Task · Get',
			'User Template · Get Many',
			'User Template · Get',
		])
			expect(operations).toContain(`\n## ${heading}\n`);
		for (const file of readdirSync(join(ROOT, 'examples')))
			expect(read('docs/examples.md')).toContain(`(../examples/${file})`);
	});

	test("keeps a place for the trigger's delivery modes", () => {
		expect(read('docs/trigger.md')).toContain('\n## Delivery: webhook or WebSocket\n');
	});

	test('shows every picture in docs/images/ somewhere, and each is small', () => {
		const shown = PAGES.flatMap((page) =>
			links(read(page)).map((target) => normalize(join(dirname(page), target))),
		);
		const pictures = readdirSync(join(ROOT, 'docs', 'images'));
		expect(pictures.sort()).toEqual([
			'credential-form.png',
			'node-panel.png',
			'nodes-panel.png',
			'preview-output.png',
			'trigger-panel.png',
		]);
		for (const picture of pictures) {
			expect(shown).toContain(`docs/images/${picture}`);
			expect(readFileSync(join(ROOT, 'docs', 'images', picture)).length).toBeLessThan(150_000);
		}
	});
});

/** Every file and folder of the repository (`a/b.ts`, `a/`), what git ignores and .git left out. */
function repositoryPaths(dir = ''): string[] {
	const ignored = new Set(['.git', 'node_modules', 'dist', 'coverage', '.e2e', '.build']);
	return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		if (ignored.has(entry.name)) return [];
		const path = `${dir}${entry.name}`;
		return entry.isDirectory() ? [`${path}/`, ...repositoryPaths(`${path}/`)] : [path];
	});
}

/** A path as docs/architecture.md writes it, `<resource>` or `*` standing for any name. */
function pathPattern(path: string, { suffix = false } = {}): RegExp {
	const source = path
		.split(/(<[^>]+>|\*)/)
		.map((part) =>
			part === '*'
				? '[^/]*'
				: part.startsWith('<')
					? '[^/]+'
					: part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'),
		)
		.join('');
	return new RegExp(`${suffix ? '(^|/)' : '^'}${source}$`);
}

/**
 * The paths of the tree at the top of docs/architecture.md: a line names a file or folder
 * (`path   what it is`) under the folder above it with less indentation; a line indented
 * deeper than any path carries the description of the line above on.
 */
function architectureTree(markdown: string): string[] {
	const tree = /^```\n([\s\S]*?)^```/m.exec(markdown)?.[1] ?? '';
	const folders: Array<{ indent: number; path: string }> = [];
	const paths: string[] = [];
	for (const line of tree.split('\n')) {
		const entry = /^( *)(\S+)/.exec(line);
		if (!entry || entry[1].length >= 8) continue;
		const indent = entry[1].length;
		while (folders.length > 0 && folders[folders.length - 1].indent >= indent) folders.pop();
		const path = `${folders[folders.length - 1]?.path ?? ''}${entry[2]}`;
		paths.push(path);
		if (path.endsWith('/')) folders.push({ indent, path });
	}
	return paths;
}

describe('docs/architecture.md', () => {
	const markdown = read('docs/architecture.md');
	const repository = repositoryPaths();
	const tree = architectureTree(markdown);

	test('every line of its tree names a file or folder that exists', () => {
		expect(tree.length).toBeGreaterThan(60);
		const missing = tree.filter((path) => !repository.some((file) => pathPattern(path).test(file)));
		expect(missing).toEqual([]);
	});

	test('its tree has a line for every source file of the nodes', () => {
		const sources = repository.filter((file) => /^nodes\/.*\.ts$/.test(file));
		const unnamed = sources.filter((file) => !tree.some((path) => pathPattern(path).test(file)));
		expect(unnamed).toEqual([]);
	});

	test('every file it names in its text exists', () => {
		const text = markdown.replace(/^```[\s\S]*?^```/m, '');
		const files = [...text.matchAll(/`([\w./<>*-]+\.(?:ts|mjs|js|json|yml))`/g)].map(
			(match) => match[1],
		);
		expect(files.length).toBeGreaterThan(20);
		const missing = files.filter(
			(file) => !repository.some((path) => pathPattern(file, { suffix: true }).test(path)),
		);
		expect(missing).toEqual([]);
	});

	test('the recipe for a new operation, resource and node stays three short paragraphs', () => {
		const recipe = markdown.split('\n## Adding things\n')[1].split('\n## ')[0].trim();
		const paragraphs = recipe.split(/\n\s*\n/);
		expect(
			paragraphs.map((paragraph) => /^\*\*(An operation|A resource|A node)\b/.exec(paragraph)?.[1]),
		).toEqual(['An operation', 'A resource', 'A node']);
		for (const paragraph of paragraphs)
			expect(paragraph.split(/\s+/).length).toBeLessThanOrEqual(120);
	});
});
