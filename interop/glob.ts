// Shell-style globs ("*" and "?") for --case filters and known-failing entries.
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

export const isGlob = (s: string) => /[*?]/.test(s);

export const globMatch = (glob: string, value: string) => globToRegExp(glob).test(value);
