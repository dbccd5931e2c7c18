/** The package's version from package.json, put in by esbuild at build time (esbuild.mjs `define`). */
declare const __VERSION__: string;
