import { describe, expect, it } from 'vitest';
import { hidesSecret, restoreMasked } from './downstream-view.js';

describe('which downstream env and header values the API masks', () => {
  it.each([
    ['GITHUB_PERSONAL_ACCESS_TOKEN', 'anything'],
    ['OPENAI_API_KEY', 'x'],
    ['PGPASSWORD', 'x'],
    ['SLACKTOKEN', 'x'],
    ['Authorization', 'Basic dXNlcjpwYXNz'],
    ['X-Api-Key', 'k'],
    ['Cookie', 'a=b'],
    ['CLIENT_SECRETS', 'x'],
    ['DATABASE_URL', 'postgres://app:s3cr3t-pass@db/app'],
    ['UPSTREAM', 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'],
    ['REDIS_URL', 'redis://:hunter2@localhost:6379'],
    ['MYSQL_PWD', 'x'],
    ['SMTP_PASS', 'x'],
    ['REDIS_PASSWD', 'x'],
    ['GH_PAT', 'x'],
    ['SENTRY_DSN', 'https://abc@o1.ingest.sentry.io/1'],
    ['AWS_SECRETKEY', 'x'],
    ['HF', 'hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
  ])('%s=%s is masked', (name, value) => expect(hidesSecret(name, value)).toBe(true));

  it.each([
    ['LOG_LEVEL', 'debug'],
    ['HOTKEY', 'ctrl+k'],
    ['MONKEY', 'banana'],
    ['SESSION_ID', 'abc'],
    ['PATH', '/usr/bin'],
    ['COMPASS', 'north'],
    ['X-Trace', 'on'],
    ['GITHUB_TOKEN', '${GITHUB_TOKEN}'],
    ['DATABASE_URL', 'postgres://db/app'],
  ])('%s=%s is shown', (name, value) => expect(hidesSecret(name, value)).toBe(false));
});

describe('restoreMasked', () => {
  it('puts back the stored value under the same name and keeps the others as sent', () => {
    expect(restoreMasked('env', { A_TOKEN: '********', B: 'new' }, { A_TOKEN: 'real', B: 'old' })).toEqual({ A_TOKEN: 'real', B: 'new' });
  });

  it('refuses a mask with nothing stored under its name, naming each such field', () => {
    expect(() => restoreMasked('headers', { 'X-Key': '********', Y: '********' }, { Y: 'v' })).toThrow(/headers\.X-Key: is \*{8}, the mask of a hidden value/);
  });

  it('keeps a `__proto__` name as data', () => {
    const out = restoreMasked('env', { ['__proto__']: 'x' } as Record<string, string>);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});

describe('secret spans of args and url', () => {
  it('masks only the password of a connection string, and puts the stored value back for its shown form', async () => {
    const { maskSpans, restoreSpans } = await import('./downstream-spans.js');
    expect(maskSpans('postgresql://admin:pw-123456@db/prod')).toBe('postgresql://admin:********@db/prod');
    expect(maskSpans('-y')).toBe('-y');
    const stored = ['-y', 'postgresql://admin:pw-123456@db/prod'];
    expect(restoreSpans('args', ['-y', 'postgresql://admin:********@db/prod', 'new'], stored)).toEqual([...stored, 'new']);
    expect(() => restoreSpans('args', ['postgresql://root:********@db/prod'], stored)).toThrow(/args\.0: holds \*{8}/);
  });
});
