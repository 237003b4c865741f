import type { FakeRingCentral } from '../fake-server';

/** Every credential that went over the wire, in every form it could be copied in. */
export function wireSecrets(server: FakeRingCentral): string[] {
	const secrets = new Set<string>();
	for (const request of server.requests) {
		const authorization = request.headers.authorization;
		if (typeof authorization === 'string') {
			secrets.add(authorization);
			secrets.add(authorization.replace(/^\w+ /, ''));
		}
		const body = (request.body ?? {}) as Record<string, unknown>;
		for (const field of ['assertion', 'refresh_token', 'code', 'client_secret']) {
			if (typeof body[field] === 'string') secrets.add(body[field] as string);
		}
	}
	return [...secrets];
}
