import "server-only";
// bcryptjs: pure JavaScript, so no native build on install or in the Next server bundle (unlike
// bcrypt/argon2); cost 10 keeps a sign-in under ~100 ms on this hardware.
import { compare, hash } from "bcryptjs";

const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, COST);
}

export function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return compare(password, passwordHash);
}
