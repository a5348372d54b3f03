import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEncrypted, openSecretBox } from './index.js';

describe('secret box', () => {
  it('round-trips values and never stores clear text', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-secrets-'));
    const box = openSecretBox(dir);
    const envelope = box.encrypt('ghp_supersecret');
    expect(isEncrypted(envelope)).toBe(true);
    expect(envelope).not.toContain('supersecret');
    expect(box.encrypt('ghp_supersecret')).not.toBe(envelope);
    expect(openSecretBox(dir).decrypt(envelope)).toBe('ghp_supersecret');
    expect(statSync(path.join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
  });

  it('refuses a tampered envelope or a replaced key with a clear error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-secrets-'));
    const box = openSecretBox(dir);
    const envelope = box.encrypt('value');
    const tampered = envelope.slice(0, -4) + (envelope.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => box.decrypt(tampered)).toThrow(/cannot be decrypted/);
    writeFileSync(path.join(dir, 'secret.key'), Buffer.alloc(32, 7).toString('base64'));
    expect(() => openSecretBox(dir).decrypt(envelope)).toThrow(/cannot be decrypted/);
    expect(readFileSync(path.join(dir, 'secret.key'), 'utf8')).not.toBe('');
  });
});
