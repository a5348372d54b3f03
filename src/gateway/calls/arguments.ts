/**
 * Prepares a client's tool arguments for the downstream: top-level strings holding a JSON object
 * or array are parsed (models often stringify them), and the gateway's own control fields are
 * taken out. Returns the same object when nothing changes (no allocation on the hot path).
 */
export interface PreparedArguments {
  args: Record<string, unknown> | undefined;
  cacheBust: boolean;
  justification: string | undefined;
}

const CONTROL_FIELDS = ['_cache_bust', '_justification'];

export function prepareArguments(input: Record<string, unknown> | undefined): PreparedArguments {
  if (!input) return { args: input, cacheBust: false, justification: undefined };
  let out = input;
  const copy = () => {
    if (out === input) out = { ...input };
    return out;
  };
  for (const [key, value] of Object.entries(input)) {
    if (typeof value !== 'string') continue;
    const first = value.trimStart()[0];
    if (first !== '{' && first !== '[') continue;
    try {
      copy()[key] = JSON.parse(value);
    } catch {
      // Not JSON after all: the downstream gets the string it was given.
    }
  }
  const cacheBust = input._cache_bust === true;
  const justification = typeof input._justification === 'string' ? input._justification : undefined;
  for (const field of CONTROL_FIELDS) if (field in input) delete copy()[field];
  return { args: out, cacheBust, justification };
}
