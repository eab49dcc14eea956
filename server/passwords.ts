/**
 * Password hashing with scrypt (Node's crypto): `scrypt$N$r$p$salt$hash`, base64 parts. A hash
 * keeps the cost it was made with, so it is checked alike whatever the cost is now.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** scrypt's memory bound: 128 MiB, twice what the highest cost allowed here takes. */
const MAX_MEMORY = 128 * 1024 * 1024;

/**
 * scrypt's cost N for new hashes: 2^14, or 2^`CREC_PASSWORD_COST` (10 to 16). The test scripts
 * set 10: their thousand-odd imported and checked passwords then cost 2 ms each, not 40. Never
 * lower it for real users.
 */
export function passwordCost(): number {
  const value = process.env.CREC_PASSWORD_COST;
  if (value === undefined || value === "") return 2 ** 14;
  const log = Number(value);
  if (!Number.isInteger(log) || log < 10 || log > 16) throw new Error(`CREC_PASSWORD_COST: "${value}" is not a whole number from 10 to 16 (scrypt's cost N, as a power of two; 14 when unset)`);
  return 2 ** log;
}

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const n = passwordCost();
  const key = await derive(password, salt, n, R, P);
  return `scrypt$${n}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Checks a password against a stored hash, in constant time for a given hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, "base64");
  const key = await derive(password, Buffer.from(salt, "base64"), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}
