import { check, succeeded, describeRequests, isTokenRequest, apiCalls } from './lib/checks';
import { log } from './lib/process';
import type { Scenario } from './scenarios';

/** The JWT credential in a real n8n: token fetched, expired, renewed after a 401, reused, renewed mid-run. */
export const jwtScenario: Scenario = {
	name: 'jwt',
	workflows: ['e2eJwtListExt001', 'e2eJwtMidRun001'],
	async run({ execute, fake }) {
		// Run 1: the credential has no token yet: one token request, then the API call.
		const first = await execute('e2eJwtListExt001');
		succeeded(first.execution, 'JWT run 1');
		check(
			first.execution.items('List extensions (JWT)').length === 5,
			'JWT run 1: expected 5 extensions',
		);
		const tokenCalls1 = first.requests.filter(isTokenRequest);
		check(
			tokenCalls1.length === 1,
			`JWT run 1: expected 1 token request, saw ${tokenCalls1.length}`,
			describeRequests(first.requests),
		);
		check(
			tokenCalls1[0].status === 200,
			'JWT run 1: the token request failed',
			describeRequests(first.requests),
		);
		const tokenBody = String(
			typeof tokenCalls1[0].body === 'string'
				? tokenCalls1[0].body
				: JSON.stringify(tokenCalls1[0].body),
		);
		check(
			tokenBody.includes('jwt-bearer'),
			'JWT run 1: the token request did not use the JWT bearer grant',
			tokenBody,
		);

		// The token n8n saved expires (as if an hour had passed): run 2 must get a 401, renew, retry.
		await fake.expireTokens();
		const second = await execute('e2eJwtListExt001');
		succeeded(second.execution, 'JWT run 2 (after the token expired)');
		check(
			second.execution.items('List extensions (JWT)').length === 5,
			'JWT run 2: expected 5 extensions',
		);
		const calls2 = second.requests;
		const tokenCalls2 = calls2.filter(isTokenRequest);
		const rejected = apiCalls(calls2).filter((request) => request.status === 401);
		check(
			rejected.length >= 1,
			'JWT run 2: expected the stale token to be rejected with 401 first',
			describeRequests(calls2),
		);
		check(
			tokenCalls2.length === 1,
			`JWT run 2: expected 1 token renewal, saw ${tokenCalls2.length}`,
			describeRequests(calls2),
		);
		const last = calls2[calls2.length - 1];
		check(
			last.status === 200 && !isTokenRequest(last),
			'JWT run 2: the request after the renewal did not succeed',
			describeRequests(calls2),
		);

		// Run 3: n8n saved the renewed token, so no token request at all.
		const third = await execute('e2eJwtListExt001');
		succeeded(third.execution, 'JWT run 3');
		const tokenCalls3 = third.requests.filter(isTokenRequest);
		check(
			tokenCalls3.length === 0,
			`JWT run 3: n8n should reuse the renewed token it saved, but asked for ${tokenCalls3.length} new one(s)`,
			describeRequests(third.requests),
		);

		// Run 4: the token expires in the middle of one execution (an HTTP Request node calls the
		// fake's /__admin/expire-tokens between two RingCentral nodes).
		const midRun = await execute('e2eJwtMidRun001');
		succeeded(midRun.execution, 'JWT mid-run expiry');
		check(
			midRun.execution.items('Before expiry').length === 2,
			'JWT mid-run: the first node should list 2 extensions',
		);
		check(
			midRun.execution.items('After expiry').length === 3,
			'JWT mid-run: the node after the expiry should list 3 extensions',
		);
		const midCalls = midRun.requests;
		const midTokens = midCalls.filter(isTokenRequest);
		check(
			midTokens.length === 1,
			`JWT mid-run: expected exactly 1 token renewal, saw ${midTokens.length}`,
			describeRequests(midCalls),
		);
		const midApi = apiCalls(midCalls);
		check(
			midApi.length === 3 &&
				midApi[0].status === 200 &&
				midApi[1].status === 401 &&
				midApi[2].status === 200,
			'JWT mid-run: expected list 200, list 401 (expired), list 200 after the renewal',
			describeRequests(midCalls),
		);
		log(
			'  token fetched, expired, renewed after a 401, then reused; and renewed in the middle of an execution',
		);
	},
};
