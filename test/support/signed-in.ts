/**
 * One signed-in client per user for a whole test file, signed in on first use: the way the
 * server tests act as a demo user without signing in again for every test.
 */
import assert from "node:assert/strict";
import { Client } from "./server.js";

/**
 * `as(user)` for a file's server: `signIn` signs a fresh client in (through the API or the
 * legacy form) and must answer `expectedStatus`.
 */
export function signedInClients(
  url: () => string,
  signIn: (client: Client, user: string) => Promise<{ status: number }>,
  expectedStatus: number,
): (user: string) => Promise<Client> {
  const clients = new Map<string, Client>();
  return async (user) => {
    let c = clients.get(user);
    if (!c) {
      c = new Client(url());
      assert.equal((await signIn(c, user)).status, expectedStatus, `${user} signs in`);
      clients.set(user, c);
    }
    return c;
  };
}
