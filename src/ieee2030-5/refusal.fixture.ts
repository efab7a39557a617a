/** Test helper: the code and path of the coded error `f` throws, or `[]` when it throws nothing. */
export function refusal(f: () => unknown): [string?, string?] {
  try {
    f();
  } catch (e) {
    const error = e as { code?: string; path?: string };
    return [error.code, error.path];
  }
  return [];
}
