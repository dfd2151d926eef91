// Writes every non-ASCII character of JavaScript source as a \u escape, which means the same
// character wherever esbuild leaves one in a minified bundle: regular expression literals, strings,
// templates, identifiers. One beyond U+FFFF becomes its surrogate pair, which a /u regular
// expression reads as the one character. Why: esbuild.mjs.
exports.escapeNonAscii = (source) => source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
