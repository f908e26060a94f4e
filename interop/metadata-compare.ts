// Metadata judged by the gRPC spec. PROTOCOL-HTTP2 lets a receiver join repeated header values
// with "," (Node's http2, hence grpc-js, does so for ASCII values): the joined form means the
// same. So ASCII values are compared after splitting every value on "," and trimming, as the
// connectrpc conformance suite does; a fold is not a failure but a note on the cell. "-bin" values
// are compared exactly (base64 of the bytes), value by value, in order.

const show = (v: unknown) => JSON.stringify(v);

/** ["a, b", "c"] -> ["a", "b", "c"]: the values a comma-joined list stands for. */
export const splitAscii = (values: string[]) => values.flatMap((v) => v.split(",").map((s) => s.trim()));

/**
 * Each listed key must carry the expected values, in order; [] means absent. Pushes differences
 * to out and, for ASCII values that arrived folded (but equal once split), a note to notes.
 */
export function judgeMetadata(label: string, want: Record<string, string[]> | undefined, got: Record<string, string[]> | undefined, out: string[], notes: string[] = []) {
  for (const [key, values] of Object.entries(want ?? {})) {
    const actual = got?.[key];
    if (values.length === 0 && (actual === undefined || actual.length === 0)) continue;
    if (actual !== undefined && show(actual) === show(values)) continue;
    if (actual !== undefined && !key.endsWith("-bin") && show(splitAscii(actual)) === show(splitAscii(values))) {
      notes.push(`${label} ${key}: arrived folded as ${show(actual)}, expected ${show(values)}: equal once split on "," (spec-permitted: HTTP/2 lets a receiver join repeated values)`);
      continue;
    }
    out.push(`${label} ${key}: expected ${show(values)}, got ${actual === undefined ? "nothing" : show(actual)}`);
  }
}
