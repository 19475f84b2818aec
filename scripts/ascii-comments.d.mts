/** Types of ascii-comments.mjs (plain JavaScript, run by scripts/build-bundle.mjs and tested in test/cli/). */
export declare function asciiComments(source: string, file: string): string
