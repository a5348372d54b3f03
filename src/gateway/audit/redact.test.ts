import { describe, expect, it } from 'vitest';
import { hasSecretShape } from '../redaction/index.js';
import { ArgumentRedactor, keyWords, REDACTED, redactArguments } from './redact.js';

/** One example of every value shape of issue 17's list (each alone, then inside a sentence). */
const SHAPES: Array<[string, string]> = [
  ['Bearer', 'Bearer abcdef0123456789'],
  ['Token (Django REST)', 'Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'],
  ['Token of letters, 20 or more', 'token AbCdEfGhIjKlMnOpQrStUv'],
  ['authorization:', 'authorization: Basic dXNlcjpwYXNzd29yZA=='],
  ['authorization=', 'authorization=tok_9f8e7d6c5b4a'],
  ['ghp_', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
  ['github_pat_', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuv'],
  ['gho_', 'gho_abcdefghijklmnopqrstuvwxyz0123456789'],
  ['ghu_', 'ghu_abcdefghijklmnopqrstuvwxyz0123456789'],
  ['ghs_', 'ghs_abcdefghijklmnopqrstuvwxyz0123456789'],
  ['ghr_', 'ghr_abcdefghijklmnopqrstuvwxyz0123456789'],
  ['sk-', 'sk-proj-AbCdEf0123456789xyzXYZ'],
  ['sk_live_', 'sk_live_51Habcdefghijklmnop'],
  ['sk_test_', 'sk_test_51Habcdefghijklmnop'],
  ['rk_live_', 'rk_live_51Habcdefghijklmnop'],
  ['glpat-', 'glpat-abcdefghij0123456789'],
  ['hf_ (Hugging Face)', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ['npm_', 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ['AKIA', 'AKIAIOSFODNN7EXAMPLE'],
  ['ASIA', 'ASIAIOSFODNN7EXAMPLE'],
  ['AIza', 'AIzaSyA1234567890abcdefghijklmnopqrstu'],
  ['xoxb-', 'xoxb-1234567890-abcdefghij'],
  ['xoxp-', 'xoxp-1234567890-abcdefghij'],
  ['Slack webhook', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'],
  ['Google Chat webhook', 'https://chat.googleapis.com/v1/spaces/AAAAabcdEFG/messages?key=AIzaSyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI&token=abc123'],
  ['Telegram bot token', '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq'],
  ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['PEM private key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----'],
  ['PEM OpenSSH key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----'],
];

describe('keys by word', () => {
  it('splits at _ - . and camelCase', () => {
    expect(keyWords('apiKey')).toEqual(['api', 'key']);
    expect(keyWords('X-API-Key')).toEqual(['x', 'api', 'key']);
    expect(keyWords('APIKey')).toEqual(['api', 'key']);
    expect(keyWords('session_token')).toEqual(['session', 'token']);
    expect(keyWords('db.password')).toEqual(['db', 'password']);
    expect(keyWords('monkey')).toEqual(['monkey']);
  });

  it.each([
    'token',
    'key',
    'secret',
    'password',
    'passphrase',
    'authorization',
    'cookie',
    'credential',
    'credentials',
    'bearer',
    'apikey',
    'apiKey',
    'api_key',
    'session_token',
    'sessionToken',
    'access-token',
    'refresh_token',
    'client_secret',
    'private_key',
    'X-API-Key',
    'db.password',
    'Authorization',
    'api_keys',
  ])('%s is a secret key: its value (any type) is redacted', (key) => {
    for (const value of ['plain', 42, { nested: 'x' }, ['a']]) expect(redactArguments({ [key]: value })).toEqual({ [key]: REDACTED });
  });

  it.each(['monkey', 'session_id', 'sessionId', 'keyboard', 'tokenizer_name', 'author', 'path', 'query', 'secretary_name'])('%s is kept', (key) => {
    expect(redactArguments({ [key]: 'plain value' })).toEqual({ [key]: 'plain value' });
  });

  it("a scope's redaction_hints and configured words count as words or phrases", () => {
    const hints = ['otp', 'pin_code', 'tenantSig'];
    expect(redactArguments({ otp: '123456', user_otp: '1', pin_code: '9', pinCode: '9', tenant_sig: 'x', notp: 'kept', pin: 'kept' }, hints)).toEqual({
      otp: REDACTED,
      user_otp: REDACTED,
      pin_code: REDACTED,
      pinCode: REDACTED,
      tenant_sig: REDACTED,
      notp: 'kept',
      pin: 'kept',
    });
  });
});

describe('values by shape', () => {
  it.each(SHAPES)('%s: the value alone, inside a sentence, nested in objects and arrays', (_name, secret) => {
    expect(hasSecretShape(secret)).toBe(true);
    const input = { note: secret, deep: { list: [1, `please use ${secret} for this`, { inner: secret }] }, kept: 'nothing here' };
    const out = redactArguments(input);
    expect(out).toEqual({ note: REDACTED, deep: { list: [1, REDACTED, { inner: REDACTED }] }, kept: 'nothing here' });
    expect(JSON.stringify(out)).not.toContain(secret.slice(0, 30));
    // The input is not modified.
    expect(input.note).toBe(secret);
  });

  it.each(['hello world', 'find the thing', '/home/user/project/file-12345.ts', 'https://example.com/a?b=c', 'sk-short', 'token', '12345678', 'eyJ alone'])(
    '%s is kept',
    (value) => {
      expect(redactArguments({ v: value })).toEqual({ v: value });
    },
  );

  it.each([
    'the token endpoint refused the refresh (invalid_grant)',
    'OAuth token expired; reconnect the account',
    'token validation failed',
    'a token passthrough',
  ])('prose about a token is kept: %s (a trial: whole audit messages were replaced)', (message) => {
    expect(hasSecretShape(message)).toBe(false);
    expect(redactArguments({ v: message })).toEqual({ v: message });
  });

  it("an auth scope's literal values are hidden wherever they appear; short ones are not", () => {
    const redactor = new ArgumentRedactor({ values: ['opaque-scope-value-77', 'abc'] });
    expect(redactor.redact({ q: 'opaque-scope-value-77', r: 'x opaque-scope-value-77 y', s: 'abc' })).toEqual({ q: REDACTED, r: REDACTED, s: 'abc' });
    expect(redactor.redactText('failed with opaque-scope-value-77 and ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(
      `failed with ${REDACTED} and ${REDACTED}`,
    );
  });

  it('a key that is itself a secret is renamed; a __proto__ key stays data', () => {
    const out = redactArguments(JSON.parse('{"ghp_abcdefghijklmnopqrstuvwxyz0123456789": 1, "__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual([REDACTED, '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('numbers, booleans and null pass as they are', () => {
    expect(redactArguments({ n: 1, b: true, z: null, a: [1, false] })).toEqual({ n: 1, b: true, z: null, a: [1, false] });
  });
});
