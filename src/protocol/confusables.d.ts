/**
 * Unicode's confusables mapping (TR39 confusables.txt) as shipped by the unhomoglyph package:
 * each source code point to its prototype, one or more code points.
 */
declare module 'unhomoglyph/data.json' {
  const confusables: Readonly<Record<string, string | undefined>>;
  export default confusables;
}
