/**
 * A unified diff of two texts by lines (`diff -u` format, 3 lines of context), for previews. The
 * common head and tail are cut first, so an edit of one entry in a large file (~/.claude.json) costs
 * only the changed middle; that middle is aligned by a longest common subsequence.
 */
export function unifiedDiff(before: string, after: string, fromName: string, toName: string, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineOps(a, b);
  const hunks: string[] = [];
  for (let i = 0; i < ops.length;) {
    if (ops[i]!.kind === ' ') {
      i++;
      continue;
    }
    let start = Math.max(0, i - context);
    let end = i;
    // Grow the hunk while changes are closer than 2 × context apart.
    for (let j = i; j < ops.length; j++) {
      if (ops[j]!.kind !== ' ') end = j;
      else if (j - end > 2 * context) break;
    }
    const stop = Math.min(ops.length, end + context + 1);
    const slice = ops.slice(start, stop);
    const oldStart = slice[0]!.a;
    const newStart = slice[0]!.b;
    const oldCount = slice.filter((op) => op.kind !== '+').length;
    const newCount = slice.filter((op) => op.kind !== '-').length;
    hunks.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`);
    for (const op of slice) hunks.push(op.kind + op.text + (op.noEol ? '\n\\ No newline at end of file' : ''));
    i = stop;
    start = stop;
  }
  return [`--- ${fromName}`, `+++ ${toName}`, ...hunks].join('\n') + '\n';
}

interface Op {
  kind: ' ' | '-' | '+';
  text: string;
  /** 1-based line numbers in the old and new text where this op stands. */
  a: number;
  b: number;
  noEol?: boolean;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`;
}

function splitLines(text: string): Array<{ text: string; noEol: boolean }> {
  if (text === '') return [];
  const parts = text.split('\n');
  const last = parts.pop()!;
  const lines = parts.map((line) => ({ text: line, noEol: false }));
  if (last !== '') lines.push({ text: last, noEol: true });
  return lines;
}

function lineOps(a: ReturnType<typeof splitLines>, b: ReturnType<typeof splitLines>): Op[] {
  const same = (x: { text: string; noEol: boolean }, y: { text: string; noEol: boolean }) => x.text === y.text && x.noEol === y.noEol;
  let head = 0;
  while (head < a.length && head < b.length && same(a[head]!, b[head]!)) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail]!, b[b.length - 1 - tail]!)) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  // lcs[i][j]: the LCS length of midA[i..] and midB[j..].
  const lcs = Array.from({ length: midA.length + 1 }, () => new Uint32Array(midB.length + 1));
  for (let i = midA.length - 1; i >= 0; i--)
    for (let j = midB.length - 1; j >= 0; j--) lcs[i]![j] = same(midA[i]!, midB[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Op[] = [];
  let x = 0;
  let y = 0;
  const push = (kind: Op['kind'], line: { text: string; noEol: boolean }) => ops.push({ kind, text: line.text, noEol: line.noEol, a: x + 1, b: y + 1 });
  for (; x < head; x++, y++) push(' ', a[x]!);
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && same(midA[i]!, midB[j]!)) {
      push(' ', midA[i]!);
      (i++, j++, x++, y++);
    } else if (j < midB.length && (i === midA.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      push('+', midB[j]!);
      (j++, y++);
    } else {
      push('-', midA[i]!);
      (i++, x++);
    }
  }
  for (let k = 0; k < tail; k++, x++, y++) push(' ', a[a.length - tail + k]!);
  return ops;
}
