export const DEFAULT_PER_PAGE = 100;
export const MAX_PER_PAGE = 1000;

export interface PageRequest {
	page: number;
	/** Effective page size: the requested one, capped at MAX_PER_PAGE. */
	perPage: number;
}

export interface Paging {
	page: number;
	perPage: number;
	pageStart?: number;
	pageEnd?: number;
	totalPages: number;
	totalElements: number;
}

export interface Navigation {
	firstPage: { uri: string };
	nextPage?: { uri: string };
	previousPage?: { uri: string };
	lastPage: { uri: string };
}

export interface Page<T> {
	uri: string;
	records: T[];
	paging: Paging;
	navigation: Navigation;
}

/** Builds the absolute URI of a page of the same listing (same filters). */
export type PageLinker = (page: number, perPage: number) => string;

/** page and perPage have already been validated as positive integers. */
export function pageRequestFrom(query: Record<string, string[]>): PageRequest {
	return {
		page: Number(query.page?.[0] ?? 1),
		perPage: Math.min(Number(query.perPage?.[0] ?? DEFAULT_PER_PAGE), MAX_PER_PAGE),
	};
}

/** Keeps every query key but paging, as repeated keys, so navigation links keep the filters. */
export function pageLinker(
	baseUrl: string,
	path: string,
	query: Record<string, string[]>,
): PageLinker {
	return (page, perPage) => {
		const search = new URLSearchParams();
		for (const [key, values] of Object.entries(query)) {
			if (key === 'page' || key === 'perPage') continue;
			for (const value of values) search.append(key, value);
		}
		search.set('page', String(page));
		search.set('perPage', String(perPage));
		return `${baseUrl}${path}?${search.toString()}`;
	};
}

export function paginate<T>(items: T[], { page, perPage }: PageRequest, link: PageLinker): Page<T> {
	const totalElements = items.length;
	const totalPages = Math.ceil(totalElements / perPage);
	const pageStart = (page - 1) * perPage;
	const records = items.slice(pageStart, pageStart + perPage);
	const uriOf = (target: number) => ({ uri: link(target, perPage) });
	return {
		uri: link(page, perPage),
		records,
		paging: {
			page,
			perPage,
			// RingCentral omits the element indexes when the page is empty.
			...(records.length > 0 && { pageStart, pageEnd: pageStart + records.length - 1 }),
			totalPages,
			totalElements,
		},
		navigation: {
			firstPage: uriOf(1),
			...(page < totalPages && { nextPage: uriOf(page + 1) }),
			...(page > 1 && { previousPage: uriOf(Math.min(page - 1, Math.max(totalPages, 1))) }),
			lastPage: uriOf(Math.max(totalPages, 1)),
		},
	};
}
