import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GatewayError } from '../errors.js';

const PREFIX = 'enc:v1:';
const KEY_FILE = 'secret.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function isEncrypted(value: string): boolean {
  return value.startsWith(PREFIX);
}

/** Encrypts and decrypts short strings with one AES-256-GCM key. */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new GatewayError('internal', 'secret key must be 32 bytes');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(envelope: string): string {
    if (!isEncrypted(envelope)) throw new GatewayError('internal', 'stored secret is not an encrypted envelope');
    const raw = Buffer.from(envelope.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (cause) {
      throw new GatewayError('internal', `a stored secret cannot be decrypted with ${KEY_FILE} (was the key replaced?)`, { cause });
    }
  }
}

/** Loads `<dataDir>/secret.key`, creating it (mode 0600, exclusive create) on first use. */
export function openSecretBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, KEY_FILE);
  try {
    return new SecretBox(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32);
  try {
    writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process created it between our read and write: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return openSecretBox(dataDir);
    throw error;
  }
  chmodSync(file, 0o600);
  return new SecretBox(key);
}
