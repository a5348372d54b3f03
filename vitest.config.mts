import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: 2,
  },
  // src/extension imports `vscode`, which exists only inside VS Code: unit tests get the small fake.
  resolve: { alias: [{ find: /^vscode$/, replacement: fileURLToPath(new URL('./test/fakes/vscode.ts', import.meta.url)) }] },
  define: { __MCPLEXER_VERSION__: JSON.stringify('0.0.0-test') },
});
