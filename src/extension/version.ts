/**
 * Compares dotted versions (`1.101.2`, `0.1.0`; a pre-release suffix after `-` sorts before the
 * release, as semver says). Returns < 0, 0 or > 0. Missing parts count as 0.
 */
export function compareVersions(a: string, b: string): number {
  const [mainA = '', preA] = a.trim().split('-', 2);
  const [mainB = '', preB] = b.trim().split('-', 2);
  const partsA = mainA.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const partsB = mainB.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(partsA.length, partsB.length); i += 1) {
    const diff = (partsA[i] ?? 0) - (partsB[i] ?? 0);
    if (diff !== 0) return diff;
  }
  if (preA === preB) return 0;
  if (preA === undefined) return 1;
  if (preB === undefined) return -1;
  return preA < preB ? -1 : 1;
}

/** VS Code finalised `lm.registerMcpServerDefinitionProvider` in 1.101; on 1.100 it exists and throws. */
export const MCP_PROVIDER_MIN_VSCODE = '1.101.0';

export function supportsMcpProvider(vscodeVersion: string): boolean {
  return compareVersions(vscodeVersion, MCP_PROVIDER_MIN_VSCODE) >= 0;
}
