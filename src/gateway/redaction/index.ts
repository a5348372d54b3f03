export { escapeRegExp, hasSecretShape, literalMatcher, MIN_LITERAL_LENGTH, REDACTED, redactShapes, SECRET_SHAPES } from './shapes.js';
