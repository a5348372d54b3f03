export { escapeRegExp, hasSecretShape, literalMatcher, MIN_LITERAL_LENGTH, REDACTED, redactShapes, SECRET_SHAPES } from './shapes.js';
export { hasSecretWord, keyWords, SECRET_KEY_WORDS } from './key-words.js';
