import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor, valuesToHide } from './redact.js';
import { expandVars } from './child-env.js';

describe('Redactor: known credential shapes', () => {
  const redactor = new Redactor();
  it.each([
    ['Authorization: Bearer abcdef123456', 'Authorization: ' + REDACTED],
    ['sending header authorization=Basic dXNlcjpwYXNz', 'sending header authorization=' + REDACTED],
    ['retry with bearer eyJabc.def-ghi_jkl', 'retry with bearer ' + REDACTED],
    ['key sk-proj-AbCdEf0123456789xyz loaded', `key ${REDACTED} loaded`],
    ['key sk-ant-api03-AbCdEf0123456789xyz', `key ${REDACTED}`],
    ['GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz012345', 'GITHUB_TOKEN=' + REDACTED],
    ['using ghp_abcdefghijklmnopqrstuvwxyz012345 now', `using ${REDACTED} now`],
    ['pat github_pat_11ABCDEFG0123456789_abcdefghijklmnop', `pat ${REDACTED}`],
    ['slack xoxb-1234567890-abcdefghij', `slack ${REDACTED}`],
    ['aws AKIAIOSFODNN7EXAMPLE ok', `aws ${REDACTED} ok`],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', `jwt ${REDACTED}`],
    ['db password=swordfish host=x', `db password=${REDACTED} host=x`],
    ['{"client_secret": "s3cr3t-value"}', `{"client_secret": "${REDACTED}"}`],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', `aws_secret_access_key = ${REDACTED}`],
    ['connecting to postgres://admin:hunter2@db:5432/app', `connecting to postgres://admin:${REDACTED}@db:5432/app`],
    ['nothing secret here: 42 tools, path /usr/bin', 'nothing secret here: 42 tools, path /usr/bin'],
  ])('%s', (input, output) => {
    expect(redactor.redact(input)).toBe(output);
  });
});

describe('Redactor: the values the gateway handed the server', () => {
  it('hides literal values, longest first, and ignores values too short to be secrets', () => {
    const redactor = new Redactor(['plainvalue42', 'plainvalue42-extended', 'on']);
    expect(redactor.redact('a plainvalue42-extended b plainvalue42 c on')).toBe(`a ${REDACTED} b ${REDACTED} c on`);
  });

  it('hides scope values and the server env/headers values, as written and as expanded', () => {
    const values = valuesToHide(
      { env: { URL: 'https://api/${REGION_KEY}' }, headers: { 'X-Key': 'hdr-${REGION_KEY}-value' } },
      { env: { TOKEN: 'scope-env-secret' }, headers: { Authorization: 'scope-header-secret' } },
      { REGION_KEY: 'region-key-9876' },
      expandVars,
    );
    expect(values).toEqual(
      expect.arrayContaining([
        'scope-env-secret',
        'scope-header-secret',
        'https://api/region-key-9876',
        'hdr-region-key-9876-value',
        'hdr-${REGION_KEY}-value',
      ]),
    );
    const redactor = new Redactor(values);
    expect(redactor.redact('got scope-env-secret and hdr-region-key-9876-value')).toBe(`got ${REDACTED} and ${REDACTED}`);
  });

  it('can be given new values at each start', () => {
    const redactor = new Redactor(['first-secret']);
    redactor.setValues(['second-secret']);
    expect(redactor.redact('first-secret second-secret')).toBe(`first-secret ${REDACTED}`);
  });
});
