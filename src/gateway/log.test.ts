import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';

const GHP = `ghp_${'x1Y2z3'.repeat(5)}`;

function lines(write: (logger: ReturnType<typeof createLogger>) => void): Array<Record<string, unknown>> {
  const out: string[] = [];
  const logger = createLogger('debug', (line) => void out.push(line));
  write(logger);
  return out.map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('masks secrets of a known shape in fields at any depth, keeping the words, the message and valid JSON', () => {
    const [line] = lines((logger) =>
      logger.warn('OAuth token refreshed', {
        client: `agent ${GHP}`,
        uri: 'postgres://admin:hunter2hunter2@db.example/x',
        reason: 'upstream said: Authorization: Bearer abcdefghijklmnop',
        nested: { url: 'https://api.example/x?access_token=q7Zx9Wv3Ty5Ur1', list: [`"quoted" ${GHP}"`] },
        count: 3,
      }),
    );
    expect(line).toMatchObject({
      level: 'warn',
      msg: 'OAuth token refreshed',
      client: 'agent [REDACTED]',
      uri: 'postgres://admin:[REDACTED]@db.example/x',
      nested: { url: 'https://api.example/x?access_token=[REDACTED]', list: ['"quoted" [REDACTED]"'] },
      count: 3,
    });
    expect(JSON.stringify(line)).not.toMatch(/hunter2|abcdefghijklmnop|q7Zx9|x1Y2z3/);
  });

  it('keeps plain text as it is, and drops lines under the level', () => {
    const out: string[] = [];
    const logger = createLogger('info', (line) => void out.push(line));
    logger.debug('not written');
    logger.info('MCP session expired', { client: 'claude-code', session: 'abc' });
    expect(out.map((line) => JSON.parse(line))).toMatchObject([{ msg: 'MCP session expired', client: 'claude-code', session: 'abc' }]);
  });
});
