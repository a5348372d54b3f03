declare const __MCPLEXER_VERSION__: string;
/** The gateway's version: the package's, set by the bundler (`0.0.0-dev` when run from source). */
export const VERSION: string = typeof __MCPLEXER_VERSION__ === 'string' ? __MCPLEXER_VERSION__ : '0.0.0-dev';
