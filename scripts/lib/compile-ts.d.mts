// Types of compile-ts.mjs (plain JavaScript: it runs before anything can load TypeScript).
export declare const compiledDir: (root: string) => string;
export declare function compileTs(root: string, log?: (msg: string) => void): Promise<boolean>;
