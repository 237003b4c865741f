// The router's resource/operation map is checked by the compiler (`npm run typecheck` runs over
// test/ too): each `@ts-expect-error` below fails the typecheck if the mistake stops being one.
import type { OperationMap, OperationsOf } from '../nodes/RingCentralExtensions/actions/node.type';
import * as bulkUpdateTask from '../nodes/RingCentralExtensions/actions/bulkUpdateTask';
import * as extension from '../nodes/RingCentralExtensions/actions/extension';
import * as userTemplate from '../nodes/RingCentralExtensions/actions/userTemplate';

const { getAll, create } = extension.operations;

test('a resource missing one of its operations is a compile error', () => {
	// @ts-expect-error bulkUpdate is missing
	const incomplete: OperationsOf<'extension'> = { getAll, create };
	expect(Object.keys(incomplete)).toEqual(['getAll', 'create']);
});

test('an operation the map does not name is a compile error', () => {
	const misspelled: OperationsOf<'userTemplate'> = {
		...userTemplate.operations,
		// @ts-expect-error "list" is not an operation of userTemplate
		list: getAll,
	};
	expect(Object.keys(misspelled)).toContain('list');
});

test('a resource missing from the router map is a compile error', () => {
	// @ts-expect-error userTemplate is missing
	const map: OperationMap = {
		extension: extension.operations,
		bulkUpdateTask: bulkUpdateTask.operations,
	};
	expect(Object.keys(map)).toEqual(['extension', 'bulkUpdateTask']);
});

test('every resource implements exactly the operations its editor options offer', () => {
	for (const resource of [extension, bulkUpdateTask, userTemplate]) {
		const offered = (resource.operationProperty.options ?? []).map((option) =>
			'value' in option ? option.value : undefined,
		);
		expect(Object.keys(resource.operations).sort()).toEqual(offered.map(String).sort());
	}
});
